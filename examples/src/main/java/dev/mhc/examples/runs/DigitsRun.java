package dev.mhc.examples.runs;

import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.ParamGroup;
import dev.mhc.core.train.Schedule;
import dev.mhc.core.train.TrainConfig;
import dev.mhc.hf.task.ImageClassificationData;
import dev.mhc.hf.task.Splits;
import dev.mhc.hf.vit.ViTConfig;
import dev.mhc.hf.vit.ViTForImageClassification;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A small ViT trained from scratch on the UCI 8x8 digits (not upscaled: patch 2 gives 16 patches
 * + [CLS]), with and without mHC, on a stratified 80/20 split.
 */
public final class DigitsRun {

    /** Test accuracy and train time of one variant. */
    public record Result(String variant, double accuracy, double seconds, long trainable) {}

    private DigitsRun() {}

    static ViTConfig config() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int d = 0; d < 10; d++) {
            labels.put(Integer.toString(d), Integer.toString(d));
        }
        return new ViTConfig(64, 4, 4, 128, "gelu", 0.0, 0.0, 1e-6, 8, 2, 1, true, null, null, labels);
    }

    public static Result run(Path digitsCsv, boolean mhc, int epochs, long seed, PrintStream out) throws IOException {
        ImageClassificationData all = ImageClassificationData.fromCsv(digitsCsv, "label", 16);
        int[][] split = Splits.stratified(all.size(), all::label, 0.2, seed);
        ImageClassificationData train = all.subset(split[0]);
        ImageClassificationData test = all.subset(split[1]);
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed((int) seed);
            ViTForImageClassification model = new ViTForImageClassification(config());
            Weights.initialize(model, manager);
            ModuleTree.parameters(model).values().forEach(p -> p.freeze(false));
            if (mhc) {
                Mhc.builder().target("ViTLayer").maxHistory(4).inject(model);
            }
            TrainConfig trainConfig = new TrainConfig(epochs, 32, 1, 1.0, seed, 0, null, false);
            var groups = java.util.List.of(
                    new ParamGroup("mixing", ParamGroup.keysContaining(".mhc_"), 1e-2, 0, Schedule.warmupEpochs(1, 0.1)),
                    new ParamGroup("model", ParamGroup.everything(), 2e-3, 0.01, Schedule.linearDecay(
                            (long) epochs * ((train.size() + 31) / 32))));
            try (FineTuner tuner = new FineTuner(model, groups, Loss.softmaxCrossEntropy(), trainConfig, manager)) {
                long start = System.nanoTime();
                tuner.fit(train, null);
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = Accuracy.of(model, test, manager, 128);
                long trainable = tuner.trainable().values().stream().mapToLong(p -> p.getShape().size()).sum();
                String variant = mhc ? "ViT + mHC (H=4)" : "ViT";
                out.printf(Locale.ROOT, "%-16s digits: train %d, test %d (stratified 80/20, seed %d), %d epochs:"
                        + " test accuracy %.4f, train %.0f s, %d parameters%n", variant, train.size(), test.size(), seed,
                        epochs, accuracy, seconds, trainable);
                return new Result(variant, accuracy, seconds, trainable);
            }
        }
    }
}
