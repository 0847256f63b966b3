package dev.mhc.hf.rotary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.module.ForwardHook;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.generate.CausalLanguageModel;
import dev.mhc.hf.generate.GenerationConfig;
import dev.mhc.hf.generate.Generator;
import dev.mhc.hf.generate.KvCache;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rotary decoder (Llama with and without llama3 RoPE scaling, Qwen2, Qwen3, and Gemma 3
 * plain, soft-capped and with linear RoPE) on HF's tiny checkpoints against HF's logits, every
 * layer's hidden state and attentions, the cached step and the greedy continuation.
 */
class RotaryDecoderFixtureTest {

    private static final float TOL = 1e-5f;

    private static float within(NDArray expected, NDArray actual, String what) {
        float diff = Golden.maxAbsDiff(expected, actual);
        assertTrue(diff <= TOL, what + " differs from HF by " + diff);
        return diff;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "llama-tiny-llama3-rope", "qwen2-tiny", "qwen3-tiny", "gemma3-tiny",
        "gemma3-tiny-softcap", "gemma3-tiny-linear-rope"})
    void matchesHuggingFace(String fixture) throws IOException {
        Golden golden = Golden.fixture(fixture);
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir());
                NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            List<NDArray> layerInputs = new ArrayList<>();
            List<NDArray> attentions = new ArrayList<>();
            List<ModuleTree.Entry> layerEntries =
                    ModuleTree.select(model.block(), Selector.byClassName(model.family().layerClass()));
            for (ModuleTree.Entry e : layerEntries) {
                Module layer = (Module) e.block();
                layer.registerForwardPreHook((m, in) -> { layerInputs.add(ForwardHook.keep(in.head())); return null; });
                layer.registerForwardHook((m, in, out) -> { attentions.add(ForwardHook.keep(out.get(1))); return null; });
            }
            NDList normOut = new NDList();
            ((Module) ModuleTree.get(model.block(), "model.norm"))
                    .registerForwardHook((m, in, out) -> { normOut.add(ForwardHook.keep(out.head())); return null; });
            NDArray ids = golden.input("input_ids", manager);
            NDArray logits = model.block().forward(ps, new NDList(ids), false).head();

            float worst = within(golden.output("logits", manager), logits, "logits");
            NDArray hidden = golden.output("hidden_states", manager);
            int layers = layerInputs.size();
            assertEquals(hidden.getShape().get(0) - 1, layers, "decoder layers found by class name");
            for (int i = 0; i < layers; i++) {
                worst = Math.max(worst, within(hidden.get(new NDIndex("{}", i)), layerInputs.get(i), "hidden_states[" + i + "]"));
                worst = Math.max(worst, within(golden.output("attentions", manager).get(new NDIndex("{}", i)),
                        attentions.get(i), "attentions[" + i + "]"));
            }
            worst = Math.max(worst, within(hidden.get(new NDIndex("{}", layers)), normOut.head(), "hidden_states[" + layers + "]"));

            CausalLanguageModel lm = (CausalLanguageModel) model.block();
            long seq = ids.getShape().get(1);
            try (KvCache cache = new KvCache(manager, lm.cacheWindows())) {
                NDArray prefix = lm.forward(ps, new NDList(ids.get(new NDIndex(":, 0:{}", seq - 1))), false,
                        cache.asParams()).head();
                worst = Math.max(worst, within(golden.output("incremental_prefix_logits", manager), prefix, "prefix logits"));
                NDArray step = lm.forward(ps, new NDList(ids.get(new NDIndex(":, {}:", seq - 1))), false,
                        cache.asParams()).head();
                worst = Math.max(worst, within(golden.output("incremental_step_logits", manager), step, "step logits"));
            }

            long[] expected = golden.output("generated_sequence", manager).toLongArray();
            List<Long> streamed = new ArrayList<>();
            long[] continuation = new Generator(lm, 0, null).generate(List.of(ids.toLongArray()),
                    GenerationConfig.greedy(8, Set.of()), (row, token) -> streamed.add(token)).get(0);
            assertArrayEquals(Arrays.copyOfRange(expected, (int) seq, expected.length), continuation);
            assertArrayEquals(continuation, streamed.stream().mapToLong(Long::longValue).toArray(), "streamed tokens");
            System.out.printf("%s vs HF: max abs diff %.3g (logits, layers, attentions, cached step);"
                    + " greedy 8 tokens equal%n", fixture, worst);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny", "qwen3-tiny", "gemma3-tiny"})
    void mhcKeepsTheFunctionAtEpsilonZeroAndComposesWithTheCache(String fixture) throws IOException {
        Golden golden = Golden.fixture(fixture);
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir());
                NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            String layerClass = model.family().layerClass();
            NDArray ids = golden.input("input_ids", manager);
            NDArray plain = model.block().forward(ps, new NDList(ids), false).head();
            Mhc.builder().target(layerClass).maxHistory(4).epsilon(0).inject(model.block());
            float change = Golden.maxAbsDiff(plain, model.block().forward(ps, new NDList(ids), false).head());
            assertTrue(change <= 1e-6f, "mHC at epsilon 0 moved the logits by " + change);
            Mhc.remove(model.block());

            Mhc.builder().target(layerClass).maxHistory(4).epsilon(0.2).inject(model.block());
            CausalLanguageModel lm = (CausalLanguageModel) model.block();
            NDArray full = lm.forward(ps, new NDList(ids), false).head();
            assertTrue(Golden.maxAbsDiff(plain, full) > 1e-3f, "mHC at epsilon 0.2 should change the function");
            long seq = ids.getShape().get(1);
            try (KvCache cache = new KvCache(manager, lm.cacheWindows())) {
                lm.forward(ps, new NDList(ids.get(new NDIndex(":, 0:{}", seq - 1))), false, cache.asParams());
                NDArray step = lm.forward(ps, new NDList(ids.get(new NDIndex(":, {}:", seq - 1))), false,
                        cache.asParams()).head();
                within(full.get(new NDIndex(":, {}:, :", seq - 1)), step, "cached step with mHC");
            }
            long[] generated = new Generator(lm, 0, null).generate(List.of(ids.toLongArray()),
                    GenerationConfig.greedy(4, Set.of()), null).get(0);
            assertArrayEquals(greedyWithoutCache(lm, ps, ids, 4), generated, "cached generation with mHC");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny", "qwen3-tiny"})
    void leftPaddedBatchesAndSamplingWithMhc(String fixture) throws IOException {
        Golden golden = Golden.fixture(fixture);
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir());
                NDManager manager = NDManager.newBaseManager()) {
            CausalLanguageModel lm = (CausalLanguageModel) model.block();
            Generator generator = new Generator(lm, 0, null);
            long[] prompt = golden.input("input_ids", manager).toLongArray();
            long[] expected = golden.output("generated_sequence", manager).toLongArray();
            long[] shorter = {1, 300, 42};
            GenerationConfig greedy = GenerationConfig.greedy(8, Set.of());
            List<long[]> batch = generator.generate(List.of(shorter, prompt), greedy, null);
            assertArrayEquals(Arrays.copyOfRange(expected, prompt.length, expected.length), batch.get(1),
                    "the padded batch's long row continues as HF's");
            assertArrayEquals(generator.generate(List.of(shorter), greedy, null).get(0), batch.get(0),
                    "the left-padded row continues as on its own");

            Mhc.builder().target(model.family().layerClass()).maxHistory(2).epsilon(0.3).inject(model.block());
            List<long[]> mixed = generator.generate(List.of(prompt, shorter), greedy, null);
            assertArrayEquals(generator.generate(List.of(shorter), greedy, null).get(0), mixed.get(1), "with mHC");
            GenerationConfig sampling = GenerationConfig.greedy(12, Set.of()).withSampling(1.5, 50, 0.95, 42);
            long[] first = generator.generate(List.of(prompt), sampling, null).get(0);
            assertArrayEquals(first, generator.generate(List.of(prompt), sampling, null).get(0), "same seed, same tokens");
        }
    }

    /** Greedy decoding by re-running the whole sequence each step: the reference for the cache. */
    private static long[] greedyWithoutCache(CausalLanguageModel lm, ParameterStore ps, NDArray ids, int steps) {
        NDArray sequence = ids;
        long[] tokens = new long[steps];
        for (int i = 0; i < steps; i++) {
            NDArray logits = lm.forward(ps, new NDList(sequence), false).head();
            long seq = logits.getShape().get(1);
            tokens[i] = logits.get(new NDIndex("0, {}, :", seq - 1)).argMax().getLong();
            sequence = sequence.concat(sequence.getManager().create(new long[][] {{tokens[i]}}), 1);
        }
        return tokens;
    }
}
