package dev.thaw.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool directory's files and their format, for {@link Spool}: {@code journal.jsonl} (one {@link
 * SpoolOp} per line), {@code state.jsonl} (one {@link StateEntry} per line), {@code artifacts/} and
 * the {@code .lock} that gives the directory to one open spool at a time. Lines are written through
 * to the OS at once; a torn last line (a crash mid-write) is dropped on reading.
 */
final class SpoolFiles {
  // Logs as Spool, as before the cut, so the log lines read the same.
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String JOURNAL = "journal.jsonl";
  private static final String STATE = "state.jsonl";
  private static final String LOCK = ".lock";
  private static final String ARTIFACTS = "artifacts";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  /**
   * One line of {@code state.jsonl}: {@code inflight} or {@code acked} up to {@code seq}, local run
   * {@code run} {@code bound} to server run {@code id}, or {@code refused} by the server.
   */
  record StateEntry(String type, Long seq, String run, String id, String artifactUri) {
    static StateEntry mark(String type, long seq) {
      return new StateEntry(type, seq, null, null, null);
    }

    static StateEntry bound(String run, Spool.Binding binding) {
      return new StateEntry("bound", null, run, binding.serverId(), binding.artifactUri());
    }

    static StateEntry refused(String run) {
      return new StateEntry("refused", null, run, null, null);
    }
  }

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock fileLock;
  private BufferedWriter journal;
  private BufferedWriter state;
  private long journalBytes;

  private SpoolFiles(Path dir, FileChannel lockChannel, FileLock fileLock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.fileLock = fileLock;
  }

  /**
   * Takes {@code dir} (creating it) for this process.
   *
   * @throws IOException when another open spool, here or in another process, holds it
   */
  static SpoolFiles lock(Path dir) throws IOException {
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
    return new SpoolFiles(dir, channel, lock);
  }

  Path dir() {
    return dir;
  }

  Path artifactsDir() {
    return dir.resolve(ARTIFACTS);
  }

  /** What a previous process recorded in {@code state.jsonl}. */
  List<StateEntry> readState() throws IOException {
    return readLines(dir.resolve(STATE), StateEntry.class);
  }

  /** What a previous process journalled, in order. */
  List<SpoolOp> readJournal() throws IOException {
    return readLines(dir.resolve(JOURNAL), SpoolOp.class);
  }

  /** Opens both files for appending, after they have been read. */
  void openForAppending() throws IOException {
    Path journalFile = dir.resolve(JOURNAL);
    journalBytes = Files.exists(journalFile) ? Files.size(journalFile) : 0;
    journal = appender(journalFile);
    state = appender(dir.resolve(STATE));
  }

  /** True once {@link #openForAppending()} has run. */
  boolean opened() {
    return journal != null;
  }

  /** The size of the journal, for when to compact. */
  long journalBytes() {
    return journalBytes;
  }

  /** Appends operations to the journal, written out together. */
  void journal(List<? extends SpoolOp> ops) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (SpoolOp op : ops) {
      lines.append(JSON.writeValueAsString(op)).append('\n');
    }
    journal.write(lines.toString());
    journal.flush();
    journalBytes += lines.length();
  }

  /** Appends one line to {@code state.jsonl}. */
  void record(StateEntry entry) throws IOException {
    state.write(JSON.writeValueAsString(entry));
    state.write('\n');
    state.flush();
  }

  /** Starts an empty journal and a state file holding only {@code entries}. */
  void compact(List<StateEntry> entries) throws IOException {
    journal.close();
    state.close();
    List<String> lines = new ArrayList<>(entries.size());
    for (StateEntry entry : entries) {
      lines.add(JSON.writeValueAsString(entry));
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

  /**
   * Closes the files and releases the directory; with {@code empty} (nothing pending), removes the
   * directory.
   */
  void close(boolean empty) throws IOException {
    try {
      if (journal != null) {
        journal.close();
      }
      if (state != null) {
        state.close();
      }
      if (empty && journal != null) {
        deleteContents();
      }
    } finally {
      fileLock.release();
      lockChannel.close();
    }
    if (empty) {
      Files.deleteIfExists(dir.resolve(LOCK));
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        LOG.debug("tracking spool {} not removed: {}", dir, e.toString());
      }
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
