package dev.mhc.hf.gpt2;

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
import dev.mhc.hf.generate.KvCache;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our GPT2LMHeadModel on HF's tiny checkpoint against HF's logits, layers, cache and greedy run. */
class GPT2FixtureTest {

    private static final float TOL = 1e-4f;
    private final Golden golden = Golden.fixture("gpt2-tiny");
    private NDManager manager;
    private ParameterStore ps;
    private PretrainedModel model;

    @BeforeEach
    void setUp() throws IOException {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
        model = AutoModel.fromPretrained(golden.dir());
    }

    @AfterEach
    void tearDown() {
        model.close();
        manager.close();
    }

    private void within(NDArray expected, NDArray actual, String what) {
        float diff = Golden.maxAbsDiff(expected, actual);
        assertTrue(diff <= TOL, what + " differs from HF by " + diff);
    }

    @Test
    void logitsHiddenStatesAndAttentionsMatchHuggingFace() {
        assertEquals("GPT2LMHeadModel", model.architecture());
        List<NDArray> blockInputs = new ArrayList<>();
        List<NDArray> attentions = new ArrayList<>();
        for (ModuleTree.Entry e : ModuleTree.select(model.block(), Selector.byClassName("GPT2Block"))) {
            Module block = (Module) e.block();
            block.registerForwardPreHook((m, in) -> { blockInputs.add(ForwardHook.keep(in.head())); return null; });
            block.registerForwardHook((m, in, out) -> { attentions.add(ForwardHook.keep(out.get(1))); return null; });
        }
        NDList hiddenOut = new NDList();
        ((Module) ModuleTree.get(model.block(), "transformer.ln_f"))
                .registerForwardHook((m, in, out) -> { hiddenOut.add(ForwardHook.keep(out.head())); return null; });
        NDArray logits = model.block().forward(ps, new NDList(golden.input("input_ids", manager)), false).head();

        within(golden.output("logits", manager), logits, "logits");
        NDArray hidden = golden.output("hidden_states", manager);
        int layers = blockInputs.size();
        for (int i = 0; i < layers; i++) {
            within(hidden.get(new NDIndex("{}", i)), blockInputs.get(i), "hidden_states[" + i + "]");
        }
        within(hidden.get(new NDIndex("{}", layers)), hiddenOut.head(), "hidden_states[" + layers + "]");
        NDArray expectedAttentions = golden.output("attentions", manager);
        for (int i = 0; i < layers; i++) {
            within(expectedAttentions.get(new NDIndex("{}", i)), attentions.get(i), "attentions[" + i + "]");
        }
    }

    @Test
    void incrementalDecodingWithTheCacheMatchesHuggingFace() {
        NDArray ids = golden.input("input_ids", manager);
        try (KvCache cache = new KvCache(manager, 3)) {
            NDArray prefix = model.block()
                    .forward(ps, new NDList(ids.get(new NDIndex(":, 0:9"))), false, cache.asParams()).head();
            within(golden.output("incremental_prefix_logits", manager), prefix, "prefix logits");
            NDArray step = model.block()
                    .forward(ps, new NDList(ids.get(new NDIndex(":, 9:10"))), false, cache.asParams()).head();
            within(golden.output("incremental_step_logits", manager), step, "step logits");
        }
    }

    @Test
    void greedyDecodingMatchesHuggingFaceTokenForToken() {
        long[] expected = golden.output("generated_sequence", manager).toLongArray();
        NDArray stepLogits = golden.output("generation_step_logits", manager);
        List<Long> tokens = new ArrayList<>();
        for (long t : golden.input("prompt_ids", manager).toLongArray()) {
            tokens.add(t);
        }
        try (KvCache cache = new KvCache(manager, 3)) {
            NDArray next = golden.input("prompt_ids", manager);
            for (int step = 0; step < 8; step++) {
                NDArray logits = model.block().forward(ps, new NDList(next), false, cache.asParams()).head();
                NDArray last = logits.get(new NDIndex(":, -1, :"));
                within(stepLogits.get(new NDIndex(":, {}, :", step)), last, "step " + step + " logits");
                long token = last.argMax(-1).getLong(0);
                tokens.add(token);
                next = manager.create(new long[][] {{token}});
            }
        }
        assertArrayEquals(expected, tokens.stream().mapToLong(Long::longValue).toArray());
    }

    @Test
    void mhcAtEpsilonZeroKeepsTheLogits() {
        NDArray ids = golden.input("input_ids", manager);
        NDArray plain = model.block().forward(ps, new NDList(ids), false).head();
        Mhc.injectMhc(model.block(), "GPT2Block", 4);
        Mhc.remove(model.block());
        Mhc.builder().target("GPT2Block").maxHistory(4).epsilon(0).inject(model.block());
        assertTrue(Golden.maxAbsDiff(plain, model.block().forward(ps, new NDList(ids), false).head()) <= 1e-6f);
    }

    @Test
    void mhcComposesWithTheCache() {
        Mhc.builder().target("GPT2Block").maxHistory(4).epsilon(0.2).inject(model.block());
        NDArray ids = golden.input("input_ids", manager);
        NDArray full = model.block().forward(ps, new NDList(ids), false).head();
        try (KvCache cache = new KvCache(manager, 3)) {
            model.block().forward(ps, new NDList(ids.get(new NDIndex(":, 0:9"))), false, cache.asParams());
            NDArray step = model.block()
                    .forward(ps, new NDList(ids.get(new NDIndex(":, 9:10"))), false, cache.asParams()).head();
            within(full.get(new NDIndex(":, 9:10, :")), step, "cached step with mHC");
        }
    }
}
