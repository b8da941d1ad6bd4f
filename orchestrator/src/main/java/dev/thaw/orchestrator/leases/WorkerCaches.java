package dev.thaw.orchestrator.leases;

import dev.thaw.trial.FeatureReuse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The frozen-prefix features each worker last said it holds (in its lease requests and heartbeats),
 * for the dispatcher to prefer trials that reuse them. In memory only: after a restart workers say
 * it again with their next request. Bounded: the workers heard from least recently are forgotten
 * beyond {@link #MAX_WORKERS}.
 */
@ApplicationScoped
public class WorkerCaches {
  /** Workers remembered at most. */
  static final int MAX_WORKERS = 10_000;

  private final Map<String, Set<String>> held =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
          return size() > MAX_WORKERS;
        }
      };

  /**
   * Refuses a list a worker could not have sent: too long, or an entry that is no hint.
   *
   * @param field the list's field, for the message ({@code cached_prefixes})
   * @throws IllegalArgumentException naming the first bad entry
   */
  static void check(String field, List<String> hints) {
    if (hints.size() > FeatureReuse.MAX_HINTS) {
      throw new IllegalArgumentException(
          field + ": at most " + FeatureReuse.MAX_HINTS + " entries (got " + hints.size() + ")");
    }
    for (int i = 0; i < hints.size(); i++) {
      if (!FeatureReuse.isHint(hints.get(i))) {
        String shown = String.valueOf(hints.get(i));
        throw new IllegalArgumentException(
            field
                + "["
                + i
                + "]: must be TASK@DEPTH, 16 hex digits, '@' and a depth (got '"
                + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown)
                + "')");
      }
    }
  }

  /** What {@code workerId} holds now, as it reported; checked first ({@link #check}). */
  synchronized void report(String workerId, List<String> hints) {
    if (hints.isEmpty()) {
      held.remove(workerId);
    } else {
      held.put(workerId, Set.copyOf(hints));
    }
  }

  /** What {@code workerId} last said it holds; empty when nothing or not heard of. */
  synchronized Set<String> of(String workerId) {
    return held.getOrDefault(workerId, Set.of());
  }
}
