package dev.mhc.examples.runs;

import ai.djl.ndarray.NDManager;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.core.train.FineTuner;
import dev.mhc.core.train.Loss;
import dev.mhc.core.train.MeanLoss;
import dev.mhc.core.train.ParamGroup;
import dev.mhc.core.train.ParamGroups;
import dev.mhc.core.train.Schedule;
import dev.mhc.core.train.TrainConfig;
import dev.mhc.hf.gpt2.GPT2Config;
import dev.mhc.hf.finetune.Connections;
import dev.mhc.hf.gpt2.GPT2LMHeadModel;
import dev.mhc.hf.task.CausalLmData;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small GPT-2 (from a config, random weights) with the real GPT-2 tokenizer, trained on Pride &
 * Prejudice with and without mHC for the same number of steps; held-out perplexity on the last
 * tenth of the book.
 */
public final class PrideRun {

    /** The variants of {@code run-pride}: {@code gpt2} and {@code gpt2+mhc} (history mixing, H = 4). */
    public static final List<String> VARIANTS = List.of("gpt2", "gpt2+mhc");

    /** The variants of {@code run-streams}, by the connections each injects into every GPT2Block. */
    public static final Map<String, Connections> STREAM_VARIANTS = streamVariants();

    private static Map<String, Connections> streamVariants() {
        Map<String, Connections> variants = new LinkedHashMap<>();
        variants.put("plain", Connections.none());
        variants.put("history H=4", Connections.history("GPT2Block", 4));
        variants.put("static HC n=4", Connections.of(Connections.Mode.HC, "GPT2Block", 4, 4, true));
        variants.put("dynamic HC n=4", Connections.of(Connections.Mode.HC, "GPT2Block", 4, 4, false));
        variants.put("mHC n=4", Connections.of(Connections.Mode.MHC, "GPT2Block", 4, 4, false));
        return variants;
    }

    private PrideRun() {}

    static GPT2Config config(int blockSize) {
        return new GPT2Config(50257, blockSize, 128, 4, 4, null, "gelu_new", 0.0, 0.0, 0.0, 1e-5, true, false,
                false, 50256, 50256, null);
    }

    /** Every variant for every seed, as a record ({@code run-pride}). */
    public static RunRecord sweep(Path text, Path tokenizerDir, int blockSize, int epochs, int trainBlocks,
            double learningRate, List<Long> seeds, PrintStream out) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("text", text.toString());
        config.put("tokenizer", tokenizerDir.toString());
        config.put("model", "GPT-2 from a config: 4 layers, 128 wide, 4 heads, random init");
        config.put("mhc", "H=4 on GPT2Block, IDENTITY, epsilon 0.1");
        config.put("block_tokens", blockSize);
        config.put("train_blocks", trainBlocks);
        config.put("held_out", "last tenth of the text");
        config.put("epochs", epochs);
        config.put("batch_size", 8);
        config.put("lr", "model " + learningRate + " (decay 0.01, linear to 0), mixing 1e-2 (no decay, 0.1x in epoch 1)");
        config.put("max_grad_norm", 1.0);
        return SeedSweep.run("pride", "held-out perplexity", VARIANTS, seeds, config, (variant, seed) -> run(text,
                tokenizerDir, variant.equals("gpt2+mhc") ? Connections.history("GPT2Block", 4) : Connections.none(),
                blockSize, epochs, trainBlocks, learningRate, seed), out);
    }

    /** Plain, history mixing, static and dynamic HC and mHC on the same run, as a record ({@code run-streams}). */
    public static RunRecord streams(Path text, Path tokenizerDir, int blockSize, int epochs, int trainBlocks,
            double learningRate, List<Long> seeds, PrintStream out) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("text", text.toString());
        config.put("tokenizer", tokenizerDir.toString());
        config.put("model", "GPT-2 from a config: 4 layers, 128 wide, 4 heads, random init");
        config.put("connections", "on every GPT2Block: none; history mixing H=4 (IDENTITY, epsilon 0.1); static HC,"
                + " dynamic HC and mHC on n=4 streams, function-preserving init, 20 Sinkhorn iterations");
        config.put("block_tokens", blockSize);
        config.put("train_blocks", trainBlocks);
        config.put("held_out", "last tenth of the text");
        config.put("epochs", epochs);
        config.put("batch_size", 8);
        config.put("lr", "model " + learningRate + " (decay 0.01, linear to 0), connections 1e-2 (no decay, 0.1x in"
                + " epoch 1)");
        config.put("max_grad_norm", 1.0);
        config.put("time_ratio", "training seconds over the plain model's in the same seed; variants interleaved,"
                + " order reversed on every other seed");
        return SeedSweep.run("pride-streams", "held-out perplexity", List.copyOf(STREAM_VARIANTS.keySet()), seeds,
                config, (variant, seed) -> run(text, tokenizerDir, STREAM_VARIANTS.get(variant), blockSize, epochs,
                        trainBlocks, learningRate, seed), out);
    }

    public static SeedSweep.Measurement run(Path text, Path tokenizerDir, Connections connections, int blockSize,
            int epochs,
            int trainBlocks, double learningRate, long seed) throws IOException {
        CausalLmData all;
        try (TextTokenizer tokenizer = TextTokenizer.fromPretrained(tokenizerDir, 0)) {
            all = CausalLmData.fromText(text, tokenizer, blockSize, 50256);
        }
        int cut = all.size() * 9 / 10;
        CausalLmData train = all.range(0, Math.min(cut, trainBlocks));
        CausalLmData heldOut = all.range(cut, all.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed((int) seed);
            GPT2LMHeadModel model = new GPT2LMHeadModel(config(blockSize));
            Weights.initialize(model, manager);
            ModuleTree.parameters(model).values().forEach(p -> p.freeze(false));
            connections.inject(model);
            int batchSize = 8;
            long steps = (long) epochs * ((train.size() + batchSize - 1) / batchSize);
            var groups = ParamGroups.withAdapters(model, 1e-2, 1, 0,
                    new ParamGroup("model", ParamGroup.everything(), learningRate, 0.01, Schedule.linearDecay(steps)));
            TrainConfig trainConfig = new TrainConfig(epochs, batchSize, 1, 1.0, seed, 0, null, false);
            try (FineTuner tuner = new FineTuner(model, groups, Loss.causalLm(), trainConfig, manager)) {
                long start = System.nanoTime();
                tuner.fit(train, null);
                double seconds = (System.nanoTime() - start) / 1e9;
                double perplexity = Math.exp(MeanLoss.of(model, heldOut, Loss.causalLm(), manager, 8));
                return new SeedSweep.Measurement(perplexity, seconds, tuner.trainableScalars());
            }
        }
    }
}
