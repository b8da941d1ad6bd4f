package dev.thaw.sweep.search;

import dev.thaw.sweep.search.SearchStrategy.Observation;
import dev.thaw.sweep.space.Point;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks a strategy for the next points while skipping configurations already run.
 *
 * <p>A trial's identity is its configuration hash, {@link Point#hash()}. Strategies may propose a
 * configuration twice (random search over a small discrete space, TPE converging, a resumed sweep
 * whose earlier trials ran under other indices); the caller keeps the hashes it has run and passes
 * them here, so duplicates cost a proposal index but never a trial.
 */
public final class Proposals {
  private Proposals() {}

  /** A proposed point with the proposal index it came from (store it to resume, e.g. for grid). */
  public record Proposal(int index, Point point) {}

  /**
   * Up to {@code count} new points, proposed from {@code fromIndex} on.
   *
   * @param seenHashes hashes of configurations already run or queued; not modified
   * @param maxAttempts most {@code propose} calls to make (bounds the work when nearly every
   *     proposal is a duplicate)
   * @return fewer than {@code count} points when the strategy is exhausted or the attempts run out
   */
  public static List<Point> next(
      SearchStrategy strategy,
      int fromIndex,
      int count,
      Set<String> seenHashes,
      List<Observation> completed,
      int maxAttempts) {
    return nextIndexed(strategy, fromIndex, count, seenHashes, completed, maxAttempts).stream()
        .map(Proposal::point)
        .toList();
  }

  /** As {@link #next}, with each point's proposal index; the next call starts after the last. */
  public static List<Proposal> nextIndexed(
      SearchStrategy strategy,
      int fromIndex,
      int count,
      Set<String> seenHashes,
      List<Observation> completed,
      int maxAttempts) {
    if (fromIndex < 0 || count < 0 || maxAttempts < 0) {
      throw new IllegalArgumentException(
          "fromIndex, count and maxAttempts must be >= 0, got "
              + fromIndex
              + ", "
              + count
              + ", "
              + maxAttempts);
    }
    Set<String> seen = new HashSet<>(seenHashes);
    List<Proposal> out = new ArrayList<>();
    for (int attempt = 0; attempt < maxAttempts && out.size() < count; attempt++) {
      int index = fromIndex + attempt;
      var point = strategy.propose(index, completed);
      if (point.isEmpty()) {
        break;
      }
      if (seen.add(point.get().hash())) {
        out.add(new Proposal(index, point.get()));
      }
    }
    return out;
  }
}
