package dev.thaw.mlflow;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * One tracking operation as journalled in the spool, in the order the caller made it. {@code run}
 * is the local key of the run (see {@link TrackedRun#key()}), bound to the server's run id once the
 * server has created the run.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SpoolOp.StartRun.class, name = "start"),
  @JsonSubTypes.Type(value = SpoolOp.LogMetric.class, name = "metric"),
  @JsonSubTypes.Type(value = SpoolOp.LogParam.class, name = "param"),
  @JsonSubTypes.Type(value = SpoolOp.SetTag.class, name = "tag"),
  @JsonSubTypes.Type(value = SpoolOp.UploadArtifact.class, name = "artifact"),
  @JsonSubTypes.Type(value = SpoolOp.EndRun.class, name = "end")
})
sealed interface SpoolOp {
  /** Position in the journal: 1, 2, 3, ... without gaps. */
  long seq();

  /** Local key of the run the operation is about. */
  String run();

  /** True for the operations that travel in a {@code logBatch} request. */
  default boolean batchable() {
    return this instanceof LogMetric || this instanceof LogParam || this instanceof SetTag;
  }

  /**
   * Creates a run.
   *
   * @param parentRun local key of the parent run, or null
   */
  record StartRun(
      long seq,
      String run,
      String experiment,
      String runName,
      String parentRun,
      Map<String, String> tags,
      long startTime)
      implements SpoolOp {}

  record LogMetric(long seq, String run, String key, double value, long step, long timestamp)
      implements SpoolOp {}

  record LogParam(long seq, String run, String key, String value) implements SpoolOp {}

  record SetTag(long seq, String run, String key, String value) implements SpoolOp {}

  /**
   * Uploads a file, copied into the spool when the call was made.
   *
   * @param path the artifact's path inside the run's artifacts, with '/' separators
   * @param spooledFile the copy's file name in the spool's artifact directory
   */
  record UploadArtifact(long seq, String run, String path, String spooledFile) implements SpoolOp {}

  record EndRun(long seq, String run, RunStatus status, long endTime) implements SpoolOp {}
}
