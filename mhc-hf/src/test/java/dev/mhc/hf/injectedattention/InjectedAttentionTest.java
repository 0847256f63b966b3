package dev.mhc.hf.injectedattention;

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
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.generate.GenerationConfig;
import dev.mhc.hf.generate.Generator;
import dev.mhc.hf.generate.KvCache;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectedAttentionTest {

    private final Golden golden = Golden.fixture("gemma3-tiny");
    @TempDir Path tmp;
    private NDManager manager;
    private ParameterStore ps;
    private NDArray ids;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
        ids = golden.input("input_ids", manager);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray logits(InjectedAttention injected) {
        return injected.lm().forward(ps, new NDList(ids), false).head();
    }

    @Test
    void injectsAtGlobalLayersOnlyWithItsOwnCountedParameters() throws IOException {
        try (InjectedAttention injected = InjectedAttention.fromPretrained(golden.dir())) {
            assertEquals(1, injected.blocks().size(), "layers 0-4 are sliding, 5 is global");
            Map<String, Parameter> keys = ModuleTree.parameters(injected.lm());
            assertTrue(keys.containsKey("model.layers.5.self_attn.q_proj.weight"), "base keys unchanged");
            assertTrue(keys.containsKey("model.layers.5.injected_attn_block.self_attn.q_proj.weight"));
            // q, k, v, o projections + q/k norms + two norms + the gate.
            assertEquals(64 * 64 + 32 * 64 + 32 * 64 + 64 * 64 + 16 + 16 + 64 + 64 + 1, injected.parameterCount());
            float diff = Golden.maxAbsDiff(golden.output("logits", manager), logits(injected));
            assertTrue(diff <= 1e-4f, "gate 0 starts as the base model: " + diff);
        }
    }

    /** The injected attention's weights are adapters: no weight decay (they used to fall into the caller's group). */
    @Test
    void itsParametersTrainInTheAdaptersGroup() throws IOException {
        try (InjectedAttention injected = InjectedAttention.fromPretrained(golden.dir())) {
            java.util.List<dev.mhc.core.train.ParamGroup> groups = dev.mhc.core.train.ParamGroups.withAdapters(
                    injected.lm(), 2e-2, 0, 1e-3, new dev.mhc.core.train.ParamGroup("rest",
                            dev.mhc.core.train.ParamGroup.everything(), 5e-3, 0.01, dev.mhc.core.train.Schedule.constant()));
            dev.mhc.core.train.ParamGroup adapters = groups.get(1);
            assertEquals(0, adapters.weightDecay());
            for (String key : injected.parameters().keySet()) {
                assertTrue(adapters.selects().test(key), key + " is an adapter's parameter");
            }
        }
    }

    @Test
    void theSwitchGivesExactlyTheBaseModel() throws IOException {
        try (InjectedAttention injected = InjectedAttention.attach(AutoModel.fromPretrained(golden.dir()), 1f);
                var base = AutoModel.fromPretrained(golden.dir())) {
            NDArray plain = base.block().forward(ps, new NDList(ids), false).head();
            assertTrue(Golden.maxAbsDiff(plain, logits(injected)) > 1e-2f, "the injected attention changes the logits");
            injected.setEnabled(false);
            assertEquals(0f, Golden.maxAbsDiff(plain, logits(injected)));
        }
    }

    @Test
    void cachedDecodingAndGenerationUseTheBlocksOwnSlot() throws IOException {
        try (InjectedAttention injected = InjectedAttention.attach(AutoModel.fromPretrained(golden.dir()), 1f)) {
            NDArray full = logits(injected);
            long seq = ids.getShape().get(1);
            try (KvCache cache = new KvCache(manager, injected.lm().cacheWindows())) {
                injected.lm().forward(ps, new NDList(ids.get(new NDIndex(":, 0:{}", seq - 1))), false, cache.asParams());
                assertEquals(seq - 1, cache.kept(6), "slot 6 (after the 6 layers) holds the block's keys");
                NDArray step = injected.lm().forward(ps, new NDList(ids.get(new NDIndex(":, {}:", seq - 1))), false,
                        cache.asParams()).head();
                assertTrue(Golden.maxAbsDiff(full.get(new NDIndex(":, {}:, :", seq - 1)), step) <= 1e-4f);
            }
            long[] tokens = new Generator(injected.lm(), 0, null)
                    .generate(List.of(ids.toLongArray()), GenerationConfig.greedy(5, Set.of()), null).get(0);
            assertEquals(5, tokens.length);
        }
    }

    @Test
    void onlyTheInjectedParametersTrainAndTheySaveOnTheirOwn() throws IOException {
        Path saved = tmp.resolve("injected");
        NDArray trained;
        try (InjectedAttention injected = InjectedAttention.fromPretrained(golden.dir())) {
            ModuleTree.parameters(injected.lm()).values().forEach(p -> p.freeze(true));
            injected.parameters().values().forEach(p -> p.freeze(false));
            float[] baseWeight = ModuleTree.parameters(injected.lm()).get("model.layers.5.self_attn.q_proj.weight")
                    .getArray().toFloatArray();
            for (int step = 0; step < 3; step++) {
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray loss = injected.lm().forward(ps, new NDList(ids), true).head().get(new NDIndex(":, -1, 7"))
                            .sum().neg();
                    collector.backward(loss);
                }
                for (Parameter p : injected.parameters().values()) {
                    p.getArray().subi(p.getArray().getGradient().mul(0.5f));
                    p.getArray().getGradient().subi(p.getArray().getGradient());
                }
            }
            assertTrue(injected.blocks().get(0).gate().getArray().getFloat(0) != 0f, "the gate learned");
            float[] after = ModuleTree.parameters(injected.lm()).get("model.layers.5.self_attn.q_proj.weight")
                    .getArray().toFloatArray();
            assertEquals(0f, maxAbsDiff(baseWeight, after), "the base stayed frozen");
            trained = logits(injected).duplicate();
            injected.save(saved);
        }
        try (InjectedAttention fresh = InjectedAttention.load(AutoModel.fromPretrained(golden.dir()), saved)) {
            assertTrue(Golden.maxAbsDiff(trained, logits(fresh)) <= 1e-6f);
        }
        IllegalArgumentException notGemma = assertThrows(IllegalArgumentException.class,
                () -> InjectedAttention.attach(AutoModel.fromPretrained(Golden.fixture("gpt2-tiny").dir()), 0f));
        assertTrue(notGemma.getMessage().contains("attention injection needs a Gemma3ForCausalLM"));
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void removalRestoresTheBaseModelAndARefusedLoadChangesNothing() throws IOException {
        Path saved = tmp.resolve("injected");
        try (InjectedAttention injected = InjectedAttention.attach(AutoModel.fromPretrained(golden.dir()), 1f);
                var base = AutoModel.fromPretrained(golden.dir())) {
            NDArray plain = base.block().forward(ps, new NDList(ids), false).head();
            injected.save(saved);
            assertEquals(1, injected.remove());
            assertEquals(0f, Golden.maxAbsDiff(plain, logits(injected)), "hooks and wrappers are gone");
            assertTrue(ModuleTree.parameters(injected.lm()).keySet().stream().noneMatch(k -> k.contains("injected")));

            java.nio.file.Files.writeString(saved.resolve("injected_attention_config.json"),
                    java.nio.file.Files.readString(saved.resolve("injected_attention_config.json"))
                            .replace("model.layers.5", "model.layers.4"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InjectedAttention.load(base, saved));
            assertTrue(e.getMessage().contains("no Gemma3DecoderLayer selected at \"model.layers.4\""), e.getMessage());
            assertEquals(0f, Golden.maxAbsDiff(plain, base.block().forward(ps, new NDList(ids), false).head()));
            assertTrue(ModuleTree.parameters(base.block()).keySet().stream().noneMatch(k -> k.contains("injected")));
        }
    }
}
