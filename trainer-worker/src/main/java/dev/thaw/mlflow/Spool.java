package dev.thaw.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;
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
 * <p>One spool directory belongs to one open {@code Spool} at a time (a file lock).
 */
final class Spool implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String JOURNAL = "journal.jsonl";
  private static final String STATE = "state.jsonl";
  private static final String LOCK = ".lock";
  private static final String ARTIFACTS = "artifacts";

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  /** Where a local run lives on the server. {@code artifactUri} may be null (not known yet). */
  record Binding(String serverId, String artifactUri) {}

  /** One line of {@code state.jsonl}. */
  record StateEntry(String type, Long seq, String run, String id, String artifactUri) {
    static StateEntry mark(String type, long seq) {
      return new StateEntry(type, seq, null, null, null);
    }
  }

  private final Path dir;
  private final long compactBytes;
  private final FileChannel lockChannel;
  private final FileLock fileLock;
  private final ArrayDeque<SpoolOp> pending = new ArrayDeque<>();
  private final Map<String, Binding> bindings = new HashMap<>();
  private final Set<String> refusedRuns = new HashSet<>();
  private BufferedWriter journal;
  private BufferedWriter state;
  private long journalBytes;
  private long nextSeq;
  private long acked;
  private long inflight;
  private boolean closed;

  private Spool(Path dir, long compactBytes, FileChannel lockChannel, FileLock fileLock) {
    this.dir = dir;
    this.compactBytes = compactBytes;
    this.lockChannel = lockChannel;
    this.fileLock = fileLock;
  }

  /** Opens (creating, or resuming what a previous process left) the spool in {@code dir}. */
  static Spool open(Path dir) throws IOException {
    return open(dir, 1 << 20);
  }

  static Spool open(Path dir, long compactBytes) throws IOException {
    Files.createDirectories(dir.resolve(ARTIFACTS));
    FileChannel channel =
        FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(
          "tracking spool "
              + dir
              + " is in use by another open Tracker (in this or another process); give each"
              + " process its own spool directory");
    }
    Spool spool = new Spool(dir, compactBytes, channel, lock);
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
    for (StateEntry entry : readLines(dir.resolve(STATE), StateEntry.class)) {
      switch (entry.type()) {
        case "acked" -> acked = Math.max(acked, entry.seq());
        case "inflight" -> inflight = Math.max(inflight, entry.seq());
        case "bound" -> bindings.put(entry.run(), new Binding(entry.id(), entry.artifactUri()));
        case "refused" -> refusedRuns.add(entry.run());
        default -> LOG.warn("tracking spool {}: unknown state entry '{}' ignored", dir, entry);
      }
    }
    lastSeq = acked;
    for (SpoolOp op : readLines(dir.resolve(JOURNAL), SpoolOp.class)) {
      lastSeq = Math.max(lastSeq, op.seq());
      if (op.seq() > acked) {
        pending.add(op);
      }
    }
    nextSeq = lastSeq + 1;
    inflight = Math.max(inflight, acked);
    Path journalFile = dir.resolve(JOURNAL);
    journalBytes = Files.exists(journalFile) ? Files.size(journalFile) : 0;
    journal = appender(journalFile);
    state = appender(dir.resolve(STATE));
    if (!pending.isEmpty()) {
      LOG.info(
          "tracking spool {}: resuming {} operations not yet acknowledged by MLflow",
          dir,
          pending.size());
    }
  }

  /** Reads a JSON-lines file; a torn last line (a crash mid-write) is dropped from the file. */
  private <T> List<T> readLines(Path file, Class<T> type) throws IOException {
    List<T> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(JSON.readValue(line, type));
      } catch (JsonProcessingException e) {
        if (i == lines.size() - 1) {
          LOG.warn("tracking spool {}: dropping the torn last line of {}", dir, file.getFileName());
          rewrite(file, lines.subList(0, i));
        } else {
          // A write that failed half-way (disk full) and was followed by good ones.
          LOG.error(
              "tracking spool {}: line {} of {} is corrupt and skipped: {}",
              dir,
              i + 1,
              file.getFileName(),
              e.getOriginalMessage());
        }
      }
    }
    return out;
  }

  private static void rewrite(Path file, List<String> lines) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static BufferedWriter appender(Path file) throws IOException {
    return Files.newBufferedWriter(
        file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The spool's directory. */
  Path dir() {
    return dir;
  }

  /** Where {@code uploadArtifact} copies its files. */
  Path artifactsDir() {
    return dir.resolve(ARTIFACTS);
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
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < makers.size(); i++) {
      T op = makers.get(i).apply(nextSeq + i);
      ops.add(op);
      lines.append(JSON.writeValueAsString(op)).append('\n');
    }
    journal.write(lines.toString());
    journal.flush();
    journalBytes += lines.length();
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
      writeState(StateEntry.mark("inflight", seq));
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
    writeState(StateEntry.mark("acked", seq));
    while (!pending.isEmpty() && pending.peekFirst().seq() <= seq) {
      if (pending.pollFirst() instanceof SpoolOp.UploadArtifact upload) {
        Files.deleteIfExists(artifactsDir().resolve(upload.spooledFile()));
      }
    }
    if (pending.isEmpty() && journalBytes > compactBytes) {
      compact();
    }
    notifyAll();
  }

  /** Records where local run {@code run} lives on the server. */
  synchronized void bind(String run, Binding binding) throws IOException {
    ensureOpen();
    bindings.put(run, binding);
    writeState(new StateEntry("bound", null, run, binding.serverId(), binding.artifactUri()));
  }

  /** Records that the server refused to create local run {@code run}. */
  synchronized void refuse(String run) throws IOException {
    ensureOpen();
    refusedRuns.add(run);
    writeState(new StateEntry("refused", null, run, null, null));
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

  private void writeState(StateEntry entry) throws IOException {
    state.write(JSON.writeValueAsString(entry));
    state.write('\n');
    state.flush();
  }

  /** Everything is acknowledged: starts an empty journal and a state file with the bindings. */
  private void compact() throws IOException {
    journal.close();
    state.close();
    List<String> lines = new ArrayList<>();
    lines.add(JSON.writeValueAsString(StateEntry.mark("acked", acked)));
    for (Map.Entry<String, Binding> e : bindings.entrySet()) {
      Binding b = e.getValue();
      lines.add(
          JSON.writeValueAsString(
              new StateEntry("bound", null, e.getKey(), b.serverId(), b.artifactUri())));
    }
    for (String run : refusedRuns) {
      lines.add(JSON.writeValueAsString(new StateEntry("refused", null, run, null, null)));
    }
    rewrite(dir.resolve(STATE), lines);
    // The state says "acked up to n" before the journal is emptied: a crash in between leaves a
    // journal whose operations are all acknowledged, which is harmless.
    Files.write(dir.resolve(JOURNAL), new byte[0]);
    journalBytes = 0;
    journal = appender(dir.resolve(JOURNAL));
    state = appender(dir.resolve(STATE));
    LOG.debug("tracking spool {}: compacted", dir);
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("tracking spool " + dir + " is closed");
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
      if (journal != null) {
        journal.close();
      }
      if (state != null) {
        state.close();
      }
      if (pending.isEmpty() && journal != null) {
        deleteContents();
      }
    } finally {
      fileLock.release();
      lockChannel.close();
      notifyAll();
    }
    if (pending.isEmpty()) {
      Files.deleteIfExists(dir.resolve(LOCK));
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        LOG.debug("tracking spool {} not removed: {}", dir, e.toString());
      }
    }
  }

  private void deleteContents() throws IOException {
    Files.deleteIfExists(dir.resolve(JOURNAL));
    Files.deleteIfExists(dir.resolve(STATE));
    try (Stream<Path> files = Files.list(artifactsDir())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(artifactsDir());
  }
}
