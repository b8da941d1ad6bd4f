package dev.thaw.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A worker asks for its next trial.
 *
 * @param workerId stable id of the worker process (host + device + pid, or given by flag)
 * @param host the worker's host name
 * @param device the device it trains on ({@code cpu()}, {@code gpu(0)})
 * @param cachedPrefixes the frozen-prefix features the worker holds, as {@code
 *     dev.thaw.trial.FeatureReuse} hints ({@code TASK@DEPTH}, at most {@code
 *     FeatureReuse.MAX_HINTS}); the orchestrator prefers giving it a trial that reuses one. Empty
 *     when it holds none or has its cache off; not sent then.
 */
public record LeaseRequest(
    String workerId,
    String host,
    String device,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> cachedPrefixes) {
  public LeaseRequest {
    cachedPrefixes = cachedPrefixes == null ? List.of() : List.copyOf(cachedPrefixes);
  }

  /** A request from a worker that holds no cached prefixes. */
  public LeaseRequest(String workerId, String host, String device) {
    this(workerId, host, device, List.of());
  }

  /** The same worker, now holding {@code prefixes}. */
  public LeaseRequest holding(List<String> prefixes) {
    return new LeaseRequest(workerId, host, device, prefixes);
  }
}
