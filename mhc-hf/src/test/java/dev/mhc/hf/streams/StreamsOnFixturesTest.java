package dev.mhc.hf.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.NoMatchingBlockException;
import dev.mhc.core.streams.HyperConnectedLayer;
import dev.mhc.core.streams.HyperConnections;
import dev.mhc.core.streams.Variant;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.generate.KvCache;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multi-stream connections on HF's tiny checkpoints: function-preserving at the start, the KV
 * cache still exact once the connections have moved, save/load by path, removal, BERT refused.
 */
class StreamsOnFixturesTest {

    private NDManager manager;
    private ParameterStore ps;

    @TempDir Path tmp;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** fixture, layer class, input name. */
    private static final List<String[]> FIXTURES = List.of(
            new String[] {"gpt2-tiny", "GPT2Block", "input_ids"},
            new String[] {"gemma3-tiny", "Gemma3DecoderLayer", "input_ids"},
            new String[] {"llama-tiny", "LlamaDecoderLayer", "input_ids"},
            new String[] {"qwen3-tiny", "Qwen3DecoderLayer", "input_ids"},
            new String[] {"vit-tiny", "ViTLayer", "pixel_values"});

    static Stream<Arguments> fixturesVariantsAndStreams() {
        return FIXTURES.stream().flatMap(f -> Stream.of(Variant.values()).flatMap(v -> Stream.of(2, 4)
                .map(n -> Arguments.of(f[0], f[1], f[2], v, n))));
    }

    private NDArray run(PretrainedModel model, NDArray input) {
        return model.block().forward(ps, new NDList(input), false).head();
    }

    @ParameterizedTest(name = "{0} {3} n={4}")
    @MethodSource("fixturesVariantsAndStreams")
    void startsAsTheOriginalModel(String fixture, String layer, String input, Variant variant, int n)
            throws IOException {
        Golden golden = Golden.fixture(fixture);
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir())) {
            NDArray x = golden.input(input, manager);
            NDArray before = run(model, x);
            List<HyperConnectedLayer> layers =
                    HyperConnections.builder().target(layer).streams(n).variant(variant).inject(model.block());
            assertTrue(layers.size() >= 2);
            float diff = Golden.maxAbsDiff(before, run(model, x));
            assertTrue(diff <= 1e-5f, fixture + " " + variant + " n=" + n + " changed the outputs by " + diff);
        }
    }

    /** Moves every connection parameter away from its start, so that the streams differ. */
    private static void perturb(Map<String, Parameter> parameters, long seed) {
        Random random = new Random(seed);
        for (Parameter p : parameters.values()) {
            float[] values = p.getArray().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) random.nextGaussian() * 0.3f;
            }
            p.getArray().set(values);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("decoders")
    void cachedDecodingEqualsTheFullForward(String fixture, String layer, Variant variant) throws IOException {
        Golden golden = Golden.fixture(fixture);
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir())) {
            HyperConnections.builder().target(layer).streams(4).variant(variant).inject(model.block());
            perturb(HyperConnections.parameters(model.block()), 3);
            NDArray ids = golden.input("input_ids", manager);
            long seq = ids.getShape().get(1);
            NDArray full = run(model, ids);
            try (KvCache cache = new KvCache(manager, 64)) {
                model.block().forward(ps, new NDList(ids.get(new NDIndex(":, 0:{}", seq - 1))), false, cache.asParams());
                NDArray step = model.block().forward(ps, new NDList(ids.get(new NDIndex(":, {}:", seq - 1))), false,
                        cache.asParams()).head();
                float diff = Golden.maxAbsDiff(full.get(new NDIndex(":, {}:", seq - 1)), step);
                assertTrue(diff <= 1e-4f, "cached step differs from the full forward by " + diff);
            }
        }
    }

    static Stream<Arguments> decoders() {
        return Stream.of(Variant.MHC, Variant.DYNAMIC_HC).flatMap(v -> Stream.of(
                Arguments.of("gpt2-tiny", "GPT2Block", v), Arguments.of("gemma3-tiny", "Gemma3DecoderLayer", v),
                Arguments.of("llama-tiny", "LlamaDecoderLayer", v), Arguments.of("qwen2-tiny", "Qwen2DecoderLayer", v),
                Arguments.of("qwen3-tiny", "Qwen3DecoderLayer", v)));
    }

    @Test
    void savedConnectionsLoadByPathAndRemovalRestoresTheModel() throws IOException {
        Golden golden = Golden.fixture("gpt2-tiny");
        NDArray ids = golden.input("input_ids", manager);
        Path dir = tmp.resolve("streams");
        NDArray trained;
        NDArray original;
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir())) {
            original = run(model, ids);
            HyperConnections.builder().target("GPT2Block").streams(4).variant(Variant.MHC).inject(model.block());
            perturb(HyperConnections.parameters(model.block()), 5);
            trained = run(model, ids);
            assertTrue(Golden.maxAbsDiff(original, trained) > 1e-3f, "moved connections change the outputs");
            HyperConnections.save(model.block(), dir);
            assertEquals(3, HyperConnections.remove(model.block()), "gpt2-tiny has 3 blocks");
            assertEquals(0f, Golden.maxAbsDiff(original, run(model, ids)), "removal restores the model exactly");
            assertTrue(ModuleTree.parameters(model.block()).keySet().stream().noneMatch(k -> k.contains("streams_")));
        }
        try (PretrainedModel fresh = AutoModel.fromPretrained(golden.dir())) {
            HyperConnections.load(fresh.block(), dir);
            assertEquals(0f, Golden.maxAbsDiff(trained, run(fresh, ids)));
            assertTrue(HyperConnections.parameters(fresh.block()).containsKey("transformer.h.1.streams_mlp.res_bias"));
        }
    }

    @Test
    void gradientsReachEveryConnectionParameter() throws IOException {
        Golden golden = Golden.fixture("gpt2-tiny");
        try (PretrainedModel model = AutoModel.fromPretrained(golden.dir())) {
            HyperConnections.builder().target("GPT2Block").streams(4).variant(Variant.MHC).inject(model.block());
            perturb(HyperConnections.parameters(model.block()), 7);
            NDArray ids = golden.input("input_ids", manager);
            ParameterStore training = new ParameterStore(manager, false);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = model.block().forward(training, new NDList(ids), true).head();
                collector.backward(logits.get(new NDIndex(":, -1, 3")).sum());
            }
            HyperConnections.parameters(model.block()).forEach((key, p) -> {
                float norm = p.getArray().getGradient().abs().sum().getFloat();
                if (key.startsWith("transformer.h.0.streams_attn.res_")) {
                    // The first connection sees n copies of the embedding, and a doubly stochastic
                    // H_res maps identical streams to themselves: its H_res cannot matter.
                    assertTrue(norm < 1e-4f, key + " should get no gradient, got " + norm);
                } else {
                    assertTrue(norm > 0 && Float.isFinite(norm), key + " gets no gradient: " + norm);
                }
            });
        }
    }

    @Test
    void bertIsPostNormAndRefusedWithTheReason() throws IOException {
        try (PretrainedModel bert = AutoModel.fromPretrained(Golden.fixture("bert-tiny").dir())) {
            NoMatchingBlockException e = assertThrows(NoMatchingBlockException.class,
                    () -> HyperConnections.builder().target("BertLayer").inject(bert.block()));
            assertTrue(e.getMessage().contains("BertLayer is post-norm"), e.getMessage());
        }
    }
}
