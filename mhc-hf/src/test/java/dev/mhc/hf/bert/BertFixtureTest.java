package dev.mhc.hf.bert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.SafetensorsCheckpoint;
import dev.mhc.core.io.WeightLoader;
import dev.mhc.hf.config.HfConfigs;
import dev.mhc.hf.testing.Golden;
import dev.mhc.testing.ManagedTest;
import dev.mhc.hf.testing.LayerRecorder;
import dev.mhc.hf.testing.Parity;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Our BertModel on HF's tiny checkpoint against the outputs HF computed for it. */
class BertFixtureTest extends ManagedTest {

    private static final float TOL = 1e-4f;
    private final Golden golden = Golden.fixture("bert-tiny");

    private BertModel load() throws IOException {
        BertModel model = new BertModel(HfConfigs.read(golden.dir(), BertConfig.class));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(golden.dir())) {
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
        LayerRecorder recorder = new LayerRecorder(model, "embeddings", "BertLayer");
        NDList out = model.forward(ps, inputs(), false);
        float worst = Parity.check(golden, manager, out, recorder, TOL);
        System.out.printf("bert-tiny vs HF: max abs diff over all outputs %.3g%n", worst);
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
