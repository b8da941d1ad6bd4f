package dev.thaw.sweep.termination;

import static dev.thaw.sweep.termination.TrialProgress.completed;
import static dev.thaw.sweep.termination.TrialProgress.pruned;
import static dev.thaw.sweep.termination.TrialProgress.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AshaRuleTest {
  private static final double NAN = Double.NaN;
  private final AshaRule rule = new AshaRule(1, 3, 1);

  /** A trial whose value is {@code v} at every one of {@code epochs} epochs. */
  private static TrialProgress flat(
      String id, int number, TrialProgress.State state, double v, int epochs) {
    double[] values = new double[epochs];
    java.util.Arrays.fill(values, v);
    return switch (state) {
      case RUNNING -> running(id, number, values);
      case COMPLETED -> completed(id, number, values);
      case PRUNED -> pruned(id, number, values);
    };
  }

  @Test
  void rungsAreMinEpochsTimesEtaToTheKPlusBracket() {
    AshaRule r = new AshaRule(2, 3, 3);
    assertEquals(OptionalInt.of(0), r.rungOf(0, 2));
    assertEquals(OptionalInt.of(1), r.rungOf(0, 6));
    assertEquals(OptionalInt.of(2), r.rungOf(0, 18));
    assertEquals(OptionalInt.of(0), r.rungOf(1, 6));
    assertEquals(OptionalInt.of(1), r.rungOf(1, 18));
    assertEquals(OptionalInt.of(0), r.rungOf(2, 18));
    for (int e : new int[] {0, 1, 3, 4, 9, 12, 17, 19, 54 * 3 + 1}) {
      assertTrue(r.rungOf(0, e).isEmpty(), "epoch " + e);
    }
    assertTrue(r.rungOf(1, 2).isEmpty());
    assertTrue(r.rungOf(2, 6).isEmpty());
    assertTrue(new AshaRule(1, 2, 40).rungOf(39, Integer.MAX_VALUE).isEmpty());
    assertEquals(OptionalInt.of(30), new AshaRule(1, 2, 1).rungOf(0, 1 << 30));
  }

  @Test
  void epochsThatAreNotRungsAlwaysContinue() {
    List<TrialProgress> sweep = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      sweep.add(flat("c" + i, i, TrialProgress.State.COMPLETED, 0.9, 9));
    }
    TrialProgress worst = flat("w", 9, TrialProgress.State.RUNNING, 0.0, 9);
    for (int e = 1; e <= 9; e++) {
      Decision d = rule.decide(worst.upTo(e), sweep);
      assertEquals(e == 1 || e == 3 || e == 9, d.stop(), "epoch " + e + ": " + d.reason());
    }
    assertEquals(
        "asha: epoch 2 is not a rung (rungs at epochs 1, 3, 9, ...)",
        rule.decide(worst.upTo(2), sweep).reason());
  }

  @Test
  void theFirstArrivalsAtARungAreLetThrough() {
    List<TrialProgress> sweep = new ArrayList<>();
    // Each arrival is worse than all before it: the first eta - 1 = 2 go on anyway.
    double[] arrivals = {0.9, 0.5, 0.1};
    boolean[] stopped = new boolean[arrivals.length];
    for (int i = 0; i < arrivals.length; i++) {
      TrialProgress t = running("t" + i, i, arrivals[i]);
      stopped[i] = rule.decide(t, sweep).stop();
      sweep.add(t);
    }
    assertFalse(stopped[0]);
    assertFalse(stopped[1]);
    assertTrue(stopped[2]);
    assertEquals(
        "asha: rung 0 (epoch 1): 2 trials reached it, fewer than 3: let through",
        rule.decide(running("t1", 1, 0.5), sweep.subList(0, 1)).reason());
  }

  @Test
  void keepsTheTopOneOverEtaAtEachRung() {
    // Nine trials already reached epoch 3 with bests 0.1 .. 0.9; with the new one n = 10 and
    // floor(10 / 3) = 3 go on: the cutoff is the third best of the ten.
    List<TrialProgress> sweep = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      sweep.add(running("t" + i, i, 0.0, i / 10.0, 0.0));
    }
    Decision third = rule.decide(running("new", 10, 0.0, 0.0, 0.75), sweep);
    assertFalse(third.stop());
    assertEquals(
        "asha: rung 1 (epoch 3): 0.75 in the top 1/3 of 10 trials (cutoff 0.75)", third.reason());
    Decision fourth = rule.decide(running("new", 10, 0.0, 0.0, 0.65), sweep);
    assertTrue(fourth.stop());
    assertEquals(
        "asha: rung 1 (epoch 3): 0.65 not in the top 1/3 of 10 trials (cutoff 0.7)",
        fourth.reason());
    // A tie with the cutoff goes on.
    assertFalse(rule.decide(running("new", 10, 0.7, 0.0, 0.0), sweep).stop());
  }

  @Test
  void atAFullRungExactlyFloorNOverEtaGoOn() {
    for (int eta = 2; eta <= 4; eta++) {
      AshaRule r = new AshaRule(1, eta, 1);
      for (int n = 1; n <= 20; n++) {
        List<TrialProgress> rung =
            IntStream.range(0, n).mapToObj(i -> running("t" + i, i, (i * 7 % 20) / 20.0)).toList();
        long goOn = rung.stream().filter(t -> !r.decide(t, rung).stop()).count();
        int expected = n < eta ? n : n / eta;
        assertEquals(expected, goOn, "eta " + eta + ", n " + n);
      }
    }
  }

  @Test
  void prunedAndCompletedTrialsThatReachedTheRungCountOthersDoNot() {
    List<TrialProgress> sweep =
        List.of(
            flat("p", 0, TrialProgress.State.PRUNED, 0.9, 3),
            flat("c", 1, TrialProgress.State.COMPLETED, 0.8, 5),
            // pruned at rung 0, never reached epoch 3: does not count at rung 1
            flat("early", 2, TrialProgress.State.PRUNED, 0.99, 1),
            flat("r", 3, TrialProgress.State.RUNNING, 0.99, 2));
    Decision d = rule.decide(running("t", 4, 0.5, 0.5, 0.5), sweep);
    assertTrue(d.stop());
    assertEquals(
        "asha: rung 1 (epoch 3): 0.5 not in the top 1/3 of 3 trials (cutoff 0.9)", d.reason());
  }

  @Test
  void comparesBestValuesUpToTheRung() {
    List<TrialProgress> sweep =
        List.of(running("a", 0, 0.2, 0.6, 0.3), running("b", 1, 0.1, 0.1, 0.5, 0.99));
    // a's best up to epoch 3 is 0.6, b's 0.5 (its 0.99 came later); t's best is 0.7 from epoch 1.
    assertFalse(rule.decide(running("t", 2, 0.7, 0.0, 0.0), sweep).stop());
    assertTrue(rule.decide(running("t", 2, 0.55, 0.0, 0.0), sweep).stop());
  }

  @Test
  void putsTrialsInBracketsByNumber() {
    AshaRule two = new AshaRule(1, 3, 2);
    assertEquals(0, two.bracketOf(4));
    assertEquals(1, two.bracketOf(5));
    // Bracket 0 trials (even numbers), all excellent; bracket 1 trials (odd numbers), poor.
    List<TrialProgress> sweep = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      double v = i % 2 == 0 ? 0.9 : 0.2;
      sweep.add(flat("t" + i, i, TrialProgress.State.COMPLETED, v, 9));
    }
    TrialProgress odd = flat("odd", 7, TrialProgress.State.RUNNING, 0.3, 3);
    // Epoch 1 is no rung of bracket 1.
    Decision first = two.decide(odd.upTo(1), sweep);
    assertFalse(first.stop());
    assertEquals(
        "asha: epoch 1 is not a rung of bracket 1 (rungs at epochs 3, 9, 27, ...)", first.reason());
    // At epoch 3 it meets bracket 1 only: 0.3 beats the three 0.2.
    Decision third = two.decide(odd, sweep);
    assertFalse(third.stop());
    assertEquals(
        "asha: bracket 1, rung 0 (epoch 3): 0.3 in the top 1/3 of 4 trials (cutoff 0.3)",
        third.reason());
    // The same values as trial 8 (bracket 0) are cut at epoch 1 against the 0.9s.
    TrialProgress even = flat("even", 8, TrialProgress.State.RUNNING, 0.3, 1);
    assertTrue(two.decide(even, sweep).stop());
  }

  @Test
  void nanAtARungIsTheWorst() {
    List<TrialProgress> sweep =
        List.of(running("a", 0, 0.1), running("b", 1, NAN), running("c", 2, -5.0));
    Decision d = rule.decide(running("t", 3, NAN), sweep);
    assertTrue(d.stop());
    assertEquals(
        "asha: rung 0 (epoch 1): NaN not in the top 1/3 of 4 trials (cutoff 0.1)", d.reason());
    // Against a NaN and -5 only, -4 is the best of three; -6 beats only the NaN.
    assertFalse(rule.decide(running("t", 3, -4.0), sweep.subList(1, 3)).stop());
    assertTrue(rule.decide(running("t", 3, -6.0), sweep.subList(1, 3)).stop());
  }

  @Test
  void decideFromChecksEveryEpochOfAHeartbeat() {
    List<TrialProgress> sweep =
        List.of(running("a", 0, 0.9, 0.9, 0.9), running("b", 1, 0.8, 0.8, 0.8));
    // Epochs 2..4 arrive in one heartbeat; epoch 3 is a rung where 0.1 is cut.
    TrialProgress t = running("t", 2, 0.5, 0.1, 0.1, 0.1);
    assertFalse(rule.decide(t, sweep).stop());
    Decision d = rule.decideFrom(2, t, sweep);
    assertTrue(d.stop());
    assertTrue(d.reason().startsWith("asha: rung 1 (epoch 3): 0.5 not in"), d.reason());
  }

  @Test
  void rejectsSettingsTheValidatorRejects() {
    assertThrows(IllegalArgumentException.class, () -> new AshaRule(0, 3, 1));
    assertEquals(
        "asha: reduction_factor must be >= 2 (got 1)",
        assertThrows(IllegalArgumentException.class, () -> new AshaRule(1, 1, 1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AshaRule(1, 3, 0));
  }
}
