package dev.mhc.core.train;

import java.nio.file.Path;

/**
 * How to train.
 *
 * @param epochs passes over the training data
 * @param batchSize examples per micro-batch
 * @param accumulation micro-batches per optimiser step (their mean loss is what is minimised)
 * @param maxGradNorm global gradient-norm clip, or 0 for none
 * @param seed data order (a permutation per epoch) and dropout
 * @param patience epochs without a better evaluation before stopping, or 0 to never stop early
 * @param checkpointDir where each epoch's checkpoint goes (trainable parameters only), or null
 * @param progress whether to draw a progress bar
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        int accumulation,
        double maxGradNorm,
        long seed,
        int patience,
        Path checkpointDir,
        boolean progress) {

    public TrainConfig {
        if (epochs < 1 || batchSize < 1 || accumulation < 1) {
            throw new IllegalArgumentException("epochs, batch size and accumulation must be at least 1, got "
                    + epochs + ", " + batchSize + ", " + accumulation);
        }
        if (!(maxGradNorm >= 0) || patience < 0) {
            throw new IllegalArgumentException("maxGradNorm and patience must be >= 0");
        }
    }

    public static TrainConfig of(int epochs, int batchSize, long seed) {
        return new TrainConfig(epochs, batchSize, 1, 1.0, seed, 0, null, false);
    }

    public TrainConfig withAccumulation(int steps) {
        return new TrainConfig(epochs, batchSize, steps, maxGradNorm, seed, patience, checkpointDir, progress);
    }

    public TrainConfig withClipping(double maxNorm) {
        return new TrainConfig(epochs, batchSize, accumulation, maxNorm, seed, patience, checkpointDir, progress);
    }

    public TrainConfig withPatience(int epochsWithoutImprovement) {
        return new TrainConfig(epochs, batchSize, accumulation, maxGradNorm, seed, epochsWithoutImprovement,
                checkpointDir, progress);
    }

    public TrainConfig withCheckpoints(Path dir) {
        return new TrainConfig(epochs, batchSize, accumulation, maxGradNorm, seed, patience, dir, progress);
    }

    public TrainConfig withProgress(boolean show) {
        return new TrainConfig(epochs, batchSize, accumulation, maxGradNorm, seed, patience, checkpointDir, show);
    }
}
