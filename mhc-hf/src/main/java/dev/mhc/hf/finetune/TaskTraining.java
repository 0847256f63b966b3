package dev.mhc.hf.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.mhc.core.adapter.Adapters;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.AtomicDirectory;
import dev.mhc.core.io.SafetensorsCheckpoint;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.io.WeightLoader;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.streams.HyperConnections;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.train.Dataset;
import dev.mhc.core.train.Evaluator;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.TrainingHistory;
import dev.mhc.core.train.Loss;
import dev.mhc.hf.PretrainedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fine-tuning a loaded model on a task ({@code lora} null: no adapters): with LoRA, the adapters (and {@code headPrefix}
 * parameters) train and the rest is frozen; without, every weight trains; mHC adds its mixing
 * weights either way. Writes {@code trained.safetensors} (the trained weights other than
 * adapters and connections), {@code adapters/}, {@code mhc/} (history mixing) and {@code streams/}
 * (hyper-connections), replaced as one unit.
 */
public record TaskTraining(LoraConfig lora, Connections connections, TrainingSettings training) {

    static final String TRAINED = RunOutputs.TRAINED;
    static final String ADAPTERS = RunOutputs.ADAPTERS;
    static final String MHC = RunOutputs.MHC;
    static final String STREAMS = RunOutputs.STREAMS;

    public TrainingHistory run(PretrainedModel model, String headPrefix, Dataset data, Loss loss, Path out, PrintStream log)
            throws IOException {
        return run(model, headPrefix, data, null, loss, out, log);
    }

    /**
     * As {@link #run(PretrainedModel, String, Dataset, Loss, Path, PrintStream)}, scoring every epoch
     * with {@code evaluator} (higher is better), or not when it is {@code null}.
     */
    public TrainingHistory run(PretrainedModel model, String headPrefix, Dataset data, Evaluator evaluator, Loss loss,
            Path out, PrintStream log) throws IOException {
        return run(model, headPrefix, data, evaluator, loss, out, RunFiles.NONE, log);
    }

    /**
     * As {@link #run(PretrainedModel, String, Dataset, Evaluator, Loss, Path, PrintStream)}, writing
     * {@code runFiles} in the same unit as the trained ones.
     */
    public TrainingHistory run(PretrainedModel model, String headPrefix, Dataset data, Evaluator evaluator, Loss loss,
            Path out, RunFiles runFiles, PrintStream log) throws IOException {
        Block block = model.block();
        model.manager().getEngine().setRandomSeed((int) training.seed());
        if (lora != null) {
            Lora.inject(block, lora);
            ModuleTree.parameters(block).forEach((key, p) -> {
                if (headPrefix != null && key.startsWith(headPrefix)) {
                    p.freeze(false);
                }
            });
        } else {
            ModuleTree.parameters(block).values().forEach(p -> p.freeze(false));
        }
        connections.inject(block);
        Adapters.unfreezeInjected(block); // connections a load patch injected train too
        try (FineTuner tuner = new FineTuner(block, training.groups(block, "model"), loss, training.trainConfig(),
                model.manager())) {
            log.print(tuner.summary());
            TrainingHistory history = tuner.fit(data, evaluator);
            Set<String> adapters = new HashSet<>(Mhc.parameters(block).keySet());
            adapters.addAll(Lora.parameters(block).keySet());
            adapters.addAll(HyperConnections.parameters(block).keySet());
            Map<String, NDArray> trained = new LinkedHashMap<>();
            tuner.trainable().forEach((key, p) -> {
                if (!adapters.contains(key)) {
                    trained.put(key, p.getArray());
                }
            });
            Map<String, byte[]> recorded = runFiles.files(history);
            AtomicDirectory.replace(out, RunOutputs.owned(recorded), staging -> {
                RunOutputs.write(staging, recorded);
                if (!trained.isEmpty()) {
                    SafetensorsWriter.write(staging.resolve(TRAINED), trained, Map.of("format", "mhc-java"));
                }
                if (!Lora.layers(block).isEmpty()) {
                    Lora.save(block, staging.resolve(ADAPTERS));
                }
                if (!Mhc.layers(block).isEmpty()) {
                    Mhc.save(block, staging.resolve(MHC));
                }
                if (!HyperConnections.layers(block).isEmpty()) {
                    HyperConnections.save(block, staging.resolve(STREAMS));
                }
            });
            log.printf(Locale.ROOT, "final training loss %.4f; wrote %s%n",
                    history.epochs().get(history.epochs().size() - 1).loss(), out.toAbsolutePath());
            return history;
        }
    }

    /**
     * Puts what {@link #run} wrote to {@code out} onto {@code model}, freshly loaded from the
     * checkpoint it was trained from: the trained weights, then the LoRA adapters, then the
     * connections (history mixing or streams), each by path. On a failure, discard the model.
     *
     * @throws IOException when {@code out} holds none of these, or one does not fit the model
     */
    public static void loadInto(PretrainedModel model, Path out) throws IOException {
        Block block = model.block();
        Path trained = out.resolve(TRAINED);
        boolean found = false;
        if (Files.isRegularFile(trained)) {
            try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(trained)) {
                WeightLoader.Report report = WeightLoader.load(block, weights, model.manager(), "", false);
                if (!report.unexpected().isEmpty()) {
                    throw new IOException(trained + " holds weights " + model + " lacks: " + report.unexpected()
                            + "; load it onto the checkpoint it was trained from");
                }
            }
            found = true;
        }
        if (Files.isDirectory(out.resolve(ADAPTERS))) {
            Lora.load(block, out.resolve(ADAPTERS));
            found = true;
        }
        if (Files.isDirectory(out.resolve(MHC))) {
            Mhc.load(block, out.resolve(MHC));
            found = true;
        }
        if (Files.isDirectory(out.resolve(STREAMS))) {
            HyperConnections.load(block, out.resolve(STREAMS));
            found = true;
        }
        if (!found) {
            throw new IOException(out + " holds nothing mhc finetune writes (" + TRAINED + ", " + ADAPTERS + "/, "
                    + MHC + "/, " + STREAMS + "/); give the --out of a causal-lm or image-cls run");
        }
    }
}
