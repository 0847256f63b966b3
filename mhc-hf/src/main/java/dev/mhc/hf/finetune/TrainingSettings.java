package dev.mhc.hf.finetune;

import ai.djl.nn.Block;
import dev.mhc.core.train.ParamGroup;
import dev.mhc.core.train.ParamGroups;
import dev.mhc.core.train.Schedule;
import dev.mhc.core.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * How a fine-tuning recipe trains: epochs, batches, the learning rate of each parameter group
 * (the head or the whole model, LoRA adapters, mixing weights with their warm-up), accumulation,
 * clipping, the seed and where epoch checkpoints go.
 *
 * @param lr the head's rate (with LoRA) or every weight's (without)
 * @param mhcWarmupEpochs epochs the mixing weights train at a tenth of {@code mhcLr}
 * @param accumulation batches whose gradients add up before a step
 * @param maxGradNorm the global gradient norm clipped to (0: no clipping)
 * @param checkpoints a directory for a checkpoint after every epoch, or {@code null}
 */
public record TrainingSettings(int epochs, int batchSize, double lr, double loraLr, double mhcLr, int mhcWarmupEpochs,
        int accumulation, double maxGradNorm, long seed, Path checkpoints) {

    public TrainingSettings {
        trainConfig(epochs, batchSize, accumulation, maxGradNorm, seed, checkpoints); // refuses impossible values
        rate("lr", lr);
        rate("lora_lr", loraLr);
        rate("mhc_lr", mhcLr);
        if (mhcWarmupEpochs < 0) {
            throw new IllegalArgumentException("mhc_warmup_epochs must be >= 0, got " + mhcWarmupEpochs);
        }
    }

    /** The command line's defaults: 3 epochs of 16, rates 5e-3 / 1e-3 / 2e-2, one warm-up epoch, clipping at 1. */
    public static TrainingSettings defaults() {
        return new TrainingSettings(3, 16, 5e-3, 1e-3, 2e-2, 1, 1, 1.0, 13, null);
    }

    private static void rate(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a learning rate > 0, got " + value);
        }
    }

    private static TrainConfig trainConfig(int epochs, int batchSize, int accumulation, double maxGradNorm, long seed,
            Path checkpoints) {
        return new TrainConfig(epochs, batchSize, accumulation, maxGradNorm, seed, 0, checkpoints, true);
    }

    /** @return the trainer's settings */
    public TrainConfig trainConfig() {
        return trainConfig(epochs, batchSize, accumulation, maxGradNorm, seed, checkpoints);
    }

    /** @return mixing, LoRA and {@code rest} (named {@code restName}: "head" or "model") groups for {@code block} */
    public List<ParamGroup> groups(Block block, String restName) {
        return ParamGroups.withAdapters(block, mhcLr, mhcWarmupEpochs, loraLr,
                new ParamGroup(restName, ParamGroup.everything(), lr, 0.01, Schedule.constant()));
    }
}
