package dev.thaw.api;

/**
 * A sweep's objective.
 *
 * @param metric the trial metric ({@code val_accuracy})
 * @param goal {@code maximize} or {@code minimize}
 * @param target the value that ends the sweep once reached, or null
 */
public record Objective(String metric, String goal, Double target) {}
