package dev.mhc.core.train;

import java.util.List;

/**
 * What a fit did, epoch by epoch.
 *
 * @param epochs one record per epoch run (resumed runs include the epochs before the resume)
 * @param bestEpoch the epoch whose parameters the model holds at the end (0-based)
 * @param stoppedEarly whether patience ran out before the last epoch
 */
public record TrainingHistory(List<Epoch> epochs, int bestEpoch, boolean stoppedEarly) {

    /** One epoch: mean training loss, evaluation, time and throughput. */
    public record Epoch(int epoch, double loss, double metric, double seconds, double examplesPerSecond) {}
}
