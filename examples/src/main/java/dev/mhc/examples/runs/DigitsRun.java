package dev.mhc.examples.runs;

import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.Accuracy;
import dev.mhc.core.train.ParamGroup;
import dev.mhc.core.train.ParamGroups;
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
import java.util.List;
import java.util.Map;

/**
 * A small ViT trained from scratch on the UCI 8x8 digits (not upscaled: patch 2 gives 16 patches
 * + [CLS]), with and without mHC, on a stratified 80/20 split.
 */
public final class DigitsRun {

    /** The variants: {@code vit} and {@code vit+mhc}. */
    public static final List<String> VARIANTS = List.of("vit", "vit+mhc");

    private DigitsRun() {}

    static ViTConfig config() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int d = 0; d < 10; d++) {
            labels.put(Integer.toString(d), Integer.toString(d));
        }
        return new ViTConfig(64, 4, 4, 128, "gelu", 0.0, 0.0, 1e-6, 8, 2, 1, true, null, null, labels);
    }

    /** Every variant for every seed, as a record ({@code run-digits}). */
    public static RunRecord sweep(Path digitsCsv, int epochs, List<Long> seeds, PrintStream out) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", digitsCsv.toString());
        config.put("split", "stratified 80/20 by seed");
        config.put("model", "ViT patch 2 on 8x8, 4 layers, hidden 64, 4 heads, MLP 128, from scratch");
        config.put("mhc", "H=4 on ViTLayer, IDENTITY, epsilon 0.1");
        config.put("epochs", epochs);
        config.put("batch_size", 32);
        config.put("lr", "model 2e-3 (decay 0.01, linear to 0), mixing 1e-2 (no decay, 0.1x in epoch 1)");
        config.put("max_grad_norm", 1.0);
        return SeedSweep.run("digits", "test accuracy", VARIANTS, seeds, config,
                (variant, seed) -> run(digitsCsv, variant.equals("vit+mhc"), epochs, seed), out);
    }

    public static SeedSweep.Measurement run(Path digitsCsv, boolean mhc, int epochs, long seed) throws IOException {
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
            var groups = ParamGroups.withAdapters(model, 1e-2, 1, 0, new ParamGroup("model", ParamGroup.everything(),
                    2e-3, 0.01, Schedule.linearDecay((long) epochs * ((train.size() + 31) / 32))));
            try (FineTuner tuner = new FineTuner(model, groups, Loss.softmaxCrossEntropy(), trainConfig, manager)) {
                long start = System.nanoTime();
                tuner.fit(train, null);
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = Accuracy.of(model, test, manager, 128);
                return new SeedSweep.Measurement(accuracy, seconds, tuner.trainableScalars());
            }
        }
    }
}
