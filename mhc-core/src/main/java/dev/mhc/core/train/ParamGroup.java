package dev.mhc.core.train;

import java.util.function.Predicate;

/**
 * Trainable parameters that share an optimiser setting, chosen by their state-dict keys.
 *
 * @param name shown in the summary
 * @param selects which keys belong to the group
 * @param learningRate the base learning rate
 * @param weightDecay decoupled (AdamW) weight decay
 * @param schedule the learning-rate multiplier over training
 */
public record ParamGroup(
        String name, Predicate<String> selects, double learningRate, double weightDecay, Schedule schedule) {

    public ParamGroup {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate of group \"" + name + "\" must be >= 0, got " + learningRate);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay of group \"" + name + "\" must be >= 0, got " + weightDecay);
        }
    }

    /** Keys containing {@code fragment}, e.g. ".mhc_" for the mixing weights or ".lora_" for adapters. */
    public static Predicate<String> keysContaining(String fragment) {
        return key -> key.contains(fragment);
    }

    /** Every key: for the group that takes what the others leave (list it last). */
    public static Predicate<String> everything() {
        return key -> true;
    }
}
