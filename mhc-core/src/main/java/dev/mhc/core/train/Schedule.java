package dev.mhc.core.train;

/** A learning-rate multiplier over training. */
@FunctionalInterface
public interface Schedule {

    /**
     * @param step optimizer steps taken so far (0-based)
     * @param epoch the current epoch (0-based)
     */
    double factor(long step, int epoch);

    static Schedule constant() {
        return (step, epoch) -> 1;
    }

    /**
     * {@code factor} times the rate for the first {@code epochs} epochs, then the full rate: the
     * design card's "lower learning rate for the first epoch to let the mixing weights settle".
     */
    static Schedule warmupEpochs(int epochs, double factor) {
        return (step, epoch) -> epoch < epochs ? factor : 1;
    }

    /** Linear decay from the full rate to 0 over {@code totalSteps}. */
    static Schedule linearDecay(long totalSteps) {
        return (step, epoch) -> Math.max(0, 1 - (double) step / totalSteps);
    }
}
