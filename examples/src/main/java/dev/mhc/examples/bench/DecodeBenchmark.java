package dev.mhc.examples.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.generate.GenerationConfig;
import dev.mhc.hf.generate.Generator;
import dev.mhc.hf.generate.KvCache;
import dev.mhc.hf.gpt2.GPT2Config;
import dev.mhc.hf.gpt2.GPT2LMHeadModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Greedy decoding speed of a GPT-2-small-sized model (random weights from its config: 12 layers,
 * 768 hidden), with the KV cache against recomputing the whole sequence at every step, and the
 * latency of one cached step at position 256 against position 16: with the cache it should stay
 * near flat.
 */
public final class DecodeBenchmark {

    private static final int REPEATS = 5;

    private DecodeBenchmark() {}

    /** Measures every figure, handing each to {@code figures} as soon as it is measured. */
    public static void run(Consumer<Figure> figures) {
        try (NDManager manager = NDManager.newBaseManager()) {
            GPT2LMHeadModel model = new GPT2LMHeadModel(GPT2Config.small());
            Weights.initialize(model, manager);
            int threads = MiniLmBenchmark.threads();
            long[] prompt = randomIds(16, 1);
            int newTokens = 32;

            Generator generator = new Generator(model, 50256, null);
            GenerationConfig greedy = GenerationConfig.greedy(newTokens, Set.of());
            generator.generate(List.of(prompt), greedy, null); // warm-up
            double[] cached = new double[REPEATS];
            double[] recomputed = new double[REPEATS];
            for (int r = 0; r < REPEATS; r++) {
                long start = System.nanoTime();
                generator.generate(List.of(prompt), greedy, null);
                cached[r] = newTokens / seconds(start);
                start = System.nanoTime();
                decodeWithoutCache(model, manager, prompt, newTokens);
                recomputed[r] = newTokens / seconds(start);
            }
            figures.accept(Figure.of("kv-cache-speedup", "tokens/s", cached, "greedy decoding without the cache",
                    recomputed, threads));
            figures.accept(Figure.of("decode-t256-vs-t16", "ms", stepLatencies(model, manager, 256),
                    "one cached step at position 16", stepLatencies(model, manager, 16), threads));
        }
    }

    /** Milliseconds for one cached step producing the token at {@code position}. */
    private static double[] stepLatencies(GPT2LMHeadModel model, NDManager manager, int position) {
        double[] samples = new double[REPEATS];
        long[] ids = randomIds(position, position);
        for (int r = -1; r < REPEATS; r++) { // r = -1 warms up
            try (NDManager call = manager.newSubManager(); KvCache kv = new KvCache(call, model.cacheWindows())) {
                ParameterStore ps = new ParameterStore(call, false);
                long[][] prefix = {java.util.Arrays.copyOf(ids, position - 1)};
                model.forward(ps, new NDList(call.create(prefix)), false, kv.asParams());
                long start = System.nanoTime();
                model.forward(ps, new NDList(call.create(new long[][] {{ids[position - 1]}})), false, kv.asParams())
                        .head().toFloatArray();
                if (r >= 0) {
                    samples[r] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        return samples;
    }

    private static void decodeWithoutCache(GPT2LMHeadModel model, NDManager manager, long[] prompt, int newTokens) {
        List<Long> tokens = new ArrayList<>();
        for (long t : prompt) {
            tokens.add(t);
        }
        for (int step = 0; step < newTokens; step++) {
            try (NDManager call = manager.newSubManager()) {
                long[][] ids = {tokens.stream().mapToLong(Long::longValue).toArray()};
                float[] last = model.forward(new ParameterStore(call, false), new NDList(call.create(ids)), false)
                        .head().get(new NDIndex(":, -1, :")).toFloatArray();
                int best = 0;
                for (int i = 1; i < last.length; i++) {
                    if (last[i] > last[best]) {
                        best = i;
                    }
                }
                tokens.add((long) best);
            }
        }
    }

    private static long[] randomIds(int length, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) {
            ids[i] = random.nextInt(50257);
        }
        return ids;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
