package dev.mhc.hf.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.Checkpoint;
import dev.mhc.core.io.WeightLoader;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our BertModel on HF's tiny checkpoint against the outputs HF computed for it. */
class BertFixtureTest {

    private static final float TOL = 1e-4f;
    private final Golden golden = Golden.fixture("bert-tiny");
    private NDManager manager;
    private ParameterStore ps;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private BertModel load() throws IOException {
        BertConfig config =
                new ObjectMapper()
                        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(golden.dir().resolve("config.json").toFile(), BertConfig.class);
        BertModel model = new BertModel(config);
        try (Checkpoint checkpoint = Checkpoint.open(golden.dir())) {
            WeightLoader.Report report = WeightLoader.load(model, checkpoint, manager);
            assertTrue(report.missing().isEmpty() && report.unexpected().isEmpty());
        }
        return model;
    }

    private NDList inputs() {
        return new NDList(
                golden.input("input_ids", manager),
                golden.input("attention_mask", manager),
                golden.input("token_type_ids", manager));
    }

    @Test
    void everyHiddenStateAttentionAndOutputMatchesHuggingFace() throws IOException {
        BertModel model = load();
        List<NDArray> hidden = new ArrayList<>();
        List<NDArray> attentions = new ArrayList<>();
        ((Module) ModuleTree.get(model, "embeddings"))
                .registerForwardHook((m, in, out) -> { hidden.add(out.head()); return null; });
        for (ModuleTree.Entry layer : ModuleTree.select(model, Selector.byClassName("BertLayer"))) {
            ((Module) layer.block()).registerForwardHook((m, in, out) -> {
                hidden.add(out.get(0));
                attentions.add(out.get(1));
                return null;
            });
        }
        NDList out = model.forward(ps, inputs(), false);

        float last = Golden.maxAbsDiff(golden.output("last_hidden_state", manager), out.get(0));
        System.out.printf("bert-tiny vs HF: last_hidden_state max abs diff %.3g%n", last);
        assertTrue(last <= TOL);
        assertTrue(Golden.maxAbsDiff(golden.output("pooler_output", manager), out.get(1)) <= TOL);
        NDArray expectedHidden = golden.output("hidden_states", manager);
        assertEquals(expectedHidden.getShape().get(0), hidden.size());
        for (int i = 0; i < hidden.size(); i++) {
            float diff = Golden.maxAbsDiff(expectedHidden.get(new NDIndex("{}", i)), hidden.get(i));
            assertTrue(diff <= TOL, "hidden_states[" + i + "] differs by " + diff);
        }
        NDArray expectedAttentions = golden.output("attentions", manager);
        for (int i = 0; i < attentions.size(); i++) {
            float diff = Golden.maxAbsDiff(expectedAttentions.get(new NDIndex("{}", i)), attentions.get(i));
            assertTrue(diff <= TOL, "attentions[" + i + "] differs by " + diff);
        }
    }

    @Test
    void mhcAtEpsilonZeroKeepsTheOutputs() throws IOException {
        BertModel model = load();
        NDArray plain = model.forward(ps, inputs(), false).get(0);
        Mhc.builder().target("BertLayer").maxHistory(4).epsilon(0).inject(model);
        NDArray injected = model.forward(ps, inputs(), false).get(0);
        assertTrue(Golden.maxAbsDiff(plain, injected) <= 1e-6f);
    }
}
