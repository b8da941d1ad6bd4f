package dev.thaw.sweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.thaw.sweep.search.Proposals.Proposal;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProposalsTest {
  private static final SearchSpace SIX =
      new SearchSpace(
          Map.of(
              "a", new Domain.IntUniform(0, 2, null),
              "b", new Domain.Categorical(List.of(IntNode.valueOf(1), IntNode.valueOf(2)))));

  @Test
  void skipsSeenHashesAndStopsWhenTheGridIsExhausted() {
    GridSearch grid = new GridSearch(SIX, 1);
    Set<String> seen =
        Set.of(
            grid.propose(0, List.of()).orElseThrow().hash(),
            grid.propose(4, List.of()).orElseThrow().hash());
    List<Proposal> got = Proposals.nextIndexed(grid, 0, 10, seen, List.of(), 100);
    assertEquals(List.of(1, 2, 3, 5), got.stream().map(Proposal::index).toList());
    assertEquals(2, seen.size(), "the caller's set is not modified");
  }

  @Test
  void neverReturnsTheSameConfigurationTwiceAndHonoursMaxAttempts() {
    RandomSearch random = new RandomSearch(SIX, 2);
    List<Point> got = Proposals.next(random, 0, 6, Set.of(), List.of(), 500);
    assertEquals(6, new HashSet<>(got.stream().map(Point::hash).toList()).size());
    // Only six configurations exist: the seventh is never found, after exactly maxAttempts calls.
    int[] calls = {0};
    SearchStrategy counting =
        (i, c) -> {
          calls[0]++;
          return random.propose(i, c);
        };
    List<Point> more = Proposals.next(counting, 0, 7, Set.of(), List.of(), 300);
    assertEquals(6, more.size());
    assertEquals(300, calls[0]);
    assertFalse(Proposals.next(random, 0, 3, Set.of(), List.of(), 0).iterator().hasNext());
  }

  @Test
  void negativeArgumentsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Proposals.next(new RandomSearch(SIX, 1), -1, 1, Set.of(), List.of(), 10));
  }
}
