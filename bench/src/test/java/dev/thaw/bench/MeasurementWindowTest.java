package dev.thaw.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeasurementWindowTest {
  @Test
  void countsOnlyBetweenOpenAndClose() throws InterruptedException {
    MeasurementWindow w = new MeasurementWindow();
    long before = System.nanoTime();
    assertFalse(w.contains(before), "nothing counts during the ramp-up");
    Thread.sleep(2);
    w.open();
    long inside = System.nanoTime();
    assertTrue(w.contains(inside));
    assertFalse(w.stopping());
    w.close();
    assertTrue(w.stopping());
    assertFalse(w.contains(System.nanoTime() + 1));
    assertTrue(w.contains(inside));
    assertFalse(w.wasExhausted());
  }

  @Test
  void anEmptyQueueEndsTheWindowWhereItWasSeen() throws InterruptedException {
    MeasurementWindow w = new MeasurementWindow();
    long beforeOpen = System.nanoTime();
    w.open();
    Thread.sleep(2);
    long dry = System.nanoTime();
    w.exhausted(dry);
    Thread.sleep(2);
    w.close();
    assertTrue(w.wasExhausted());
    assertFalse(w.contains(dry), "the window ends where the queue ran dry, not at close()");
    assertTrue(
        w.seconds() > 0 && w.seconds() <= (dry - beforeOpen) / 1e9, "seconds " + w.seconds());
  }
}
