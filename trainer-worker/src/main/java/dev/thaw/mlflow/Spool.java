package dev.thaw.mlflow;

import dev.thaw.mlflow.SpoolFiles.StateEntry;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk journal of tracking operations and of what the server has acknowledged.
 *
 * <p>Two append-only files of JSON lines: {@code journal.jsonl} holds every operation in call
 * order, numbered 1, 2, 3, ...; {@code state.jsonl} records, in order, "sending up to n" ({@code
 * inflight}) before each request, "the server acknowledged up to n" ({@code acked}) after it, and
 * the server id each local run was bound to. The pending operations are those after the last {@code
 * acked}; those up to the last {@code inflight} may have reached the server already (request sent,
 * reply lost) and are {@link #uncertain(long) uncertain}. Files given to {@code uploadArtifact} are
 * copied to {@code artifacts/}. Lines are written through to the OS at once (they survive a crash
 * of the process, not necessarily of the machine); a torn last line is ignored on reading. When
 * everything is acknowledged and the journal has grown past a limit, both files are rewritten
 * small; when a spool is closed empty, its directory is removed.
 *
 * <p>One spool directory belongs to one open {@code Spool} at a time (a file lock). The files and
 * their format are {@link SpoolFiles}; this class is the queue over them.
 */
final class Spool implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  /** Where a local run lives on the server. {@code artifactUri} may be null (not known yet). */
  record Binding(String serverId, String artifactUri) {}

  private final SpoolFiles files;
  private final long compactBytes;
  private final ArrayDeque<SpoolOp> pending = new ArrayDeque<>();
  private final Map<String, Binding> bindings = new HashMap<>();
  private final Set<String> refusedRuns = new HashSet<>();
  private long nextSeq;
  private long acked;
  private long inflight;
  private boolean closed;

  private Spool(SpoolFiles files, long compactBytes) {
    this.files = files;
    this.compactBytes = compactBytes;
  }

  /** Opens (creating, or resuming what a previous process left) the spool in {@code dir}. */
  static Spool open(Path dir) throws IOException {
    return open(dir, 1 << 20);
  }

  static Spool open(Path dir, long compactBytes) throws IOException {
    Spool spool = new Spool(SpoolFiles.lock(dir), compactBytes);
    try {
      spool.recover();
    } catch (IOException | RuntimeException e) {
      spool.close();
      throw e;
    }
    return spool;
  }

  private void recover() throws IOException {
    long lastSeq = 0;
    for (StateEntry entry : files.readState()) {
      switch (entry.type()) {
        case "acked" -> acked = Math.max(acked, entry.seq());
        case "inflight" -> inflight = Math.max(inflight, entry.seq());
        case "bound" -> bindings.put(entry.run(), new Binding(entry.id(), entry.artifactUri()));
        case "refused" -> refusedRuns.add(entry.run());
        default -> LOG.warn("tracking spool {}: unknown state entry '{}' ignored", dir(), entry);
      }
    }
    lastSeq = acked;
    for (SpoolOp op : files.readJournal()) {
      lastSeq = Math.max(lastSeq, op.seq());
      if (op.seq() > acked) {
        pending.add(op);
      }
    }
    nextSeq = lastSeq + 1;
    inflight = Math.max(inflight, acked);
    files.openForAppending();
    if (!pending.isEmpty()) {
      LOG.info(
          "tracking spool {}: resuming {} operations not yet acknowledged by MLflow",
          dir(),
          pending.size());
    }
  }

  /** The spool's directory. */
  Path dir() {
    return files.dir();
  }

  /** Where {@code uploadArtifact} copies its files. */
  Path artifactsDir() {
    return files.artifactsDir();
  }

  /**
   * Journals a new operation, numbered by the spool: {@code make} gets the number.
   *
   * @throws IOException when the journal cannot be written (nothing is queued then)
   */
  synchronized <T extends SpoolOp> T append(LongFunction<T> make) throws IOException {
    return appendAll(List.of(make)).get(0);
  }

  /** Journals several operations with consecutive numbers, written out together. */
  synchronized <T extends SpoolOp> List<T> appendAll(List<LongFunction<T>> makers)
      throws IOException {
    ensureOpen();
    List<T> ops = new ArrayList<>(makers.size());
    for (int i = 0; i < makers.size(); i++) {
      ops.add(makers.get(i).apply(nextSeq + i));
    }
    files.journal(ops);
    nextSeq += ops.size();
    pending.addAll(ops);
    notifyAll();
    return ops;
  }

  /** Up to {@code max} pending operations from the oldest on. */
  synchronized List<SpoolOp> head(int max) {
    List<SpoolOp> out = new ArrayList<>(Math.min(max, pending.size()));
    for (SpoolOp op : pending) {
      if (out.size() == max) {
        break;
      }
      out.add(op);
    }
    return out;
  }

  /** Number of operations not yet acknowledged. */
  synchronized int pendingCount() {
    return pending.size();
  }

  /** The number the next operation will get minus one: the newest operation so far. */
  synchronized long lastSeq() {
    return nextSeq - 1;
  }

  /** True when operation {@code seq} may have reached the server without an acknowledgement. */
  synchronized boolean uncertain(long seq) {
    return seq > acked && seq <= inflight;
  }

  /** Records that operations up to {@code seq} are about to be sent. */
  synchronized void inflight(long seq) throws IOException {
    ensureOpen();
    if (seq > inflight) {
      inflight = seq;
      files.record(StateEntry.mark("inflight", seq));
    }
  }

  /**
   * Records that the server acknowledged (or refused for good) every operation up to {@code seq}:
   * they leave the queue, and their spooled artifact copies are deleted.
   */
  synchronized void ack(long seq) throws IOException {
    ensureOpen();
    if (seq <= acked) {
      return;
    }
    acked = seq;
    inflight = Math.max(inflight, seq);
    files.record(StateEntry.mark("acked", seq));
    while (!pending.isEmpty() && pending.peekFirst().seq() <= seq) {
      if (pending.pollFirst() instanceof SpoolOp.UploadArtifact upload) {
        Files.deleteIfExists(artifactsDir().resolve(upload.spooledFile()));
      }
    }
    if (pending.isEmpty() && files.journalBytes() > compactBytes) {
      compact();
    }
    notifyAll();
  }

  /** Records where local run {@code run} lives on the server. */
  synchronized void bind(String run, Binding binding) throws IOException {
    ensureOpen();
    bindings.put(run, binding);
    files.record(StateEntry.bound(run, binding));
  }

  /** Records that the server refused to create local run {@code run}. */
  synchronized void refuse(String run) throws IOException {
    ensureOpen();
    refusedRuns.add(run);
    files.record(StateEntry.refused(run));
  }

  synchronized Optional<Binding> binding(String run) {
    return Optional.ofNullable(bindings.get(run));
  }

  synchronized boolean refused(String run) {
    return refusedRuns.contains(run);
  }

  /** Waits until an operation is pending, at most {@code millis}; true when one is. */
  synchronized boolean awaitPending(long millis) throws InterruptedException {
    if (pending.isEmpty() && millis > 0) {
      wait(millis);
    }
    return !pending.isEmpty();
  }

  /**
   * Waits until an operation newer than {@code seq} is journalled, at most {@code millis} (or until
   * {@link #wakeUp()}).
   */
  synchronized void awaitNewerThan(long seq, long millis) throws InterruptedException {
    if (nextSeq - 1 <= seq && millis > 0) {
      wait(millis);
    }
  }

  /** Waits until every operation up to {@code seq} is acknowledged; false on timeout. */
  synchronized boolean awaitAcked(long seq, long deadlineNanos) throws InterruptedException {
    while (acked < seq) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** Wakes up whoever waits on this spool (the sender, when closing). */
  synchronized void wakeUp() {
    notifyAll();
  }

  /** Everything is acknowledged: starts an empty journal and a state file with the bindings. */
  private void compact() throws IOException {
    List<StateEntry> entries = new ArrayList<>();
    entries.add(StateEntry.mark("acked", acked));
    for (Map.Entry<String, Binding> e : bindings.entrySet()) {
      entries.add(StateEntry.bound(e.getKey(), e.getValue()));
    }
    for (String run : refusedRuns) {
      entries.add(StateEntry.refused(run));
    }
    files.compact(entries);
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("tracking spool " + dir() + " is closed");
    }
  }

  /** Closes the files and releases the directory; removes the directory when nothing is pending. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      files.close(pending.isEmpty());
    } finally {
      notifyAll();
    }
  }
}
