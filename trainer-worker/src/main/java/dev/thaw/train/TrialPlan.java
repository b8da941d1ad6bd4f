package dev.thaw.train;

import dev.thaw.trial.TrialSpec;
import java.util.List;

/**
 * A trial resolved against its model and data, just before training.
 *
 * @param spec the resolved spec
 * @param groupNames layer group names, g0 first
 * @param groupRates the backbone rate of each group
 * @param targetClasses target class names
 * @param trainExamples training examples
 * @param validationExamples validation examples
 * @param device the DJL device name
 */
public record TrialPlan(
    TrialSpec spec,
    List<String> groupNames,
    List<Double> groupRates,
    List<String> targetClasses,
    int trainExamples,
    int validationExamples,
    String device) {}
