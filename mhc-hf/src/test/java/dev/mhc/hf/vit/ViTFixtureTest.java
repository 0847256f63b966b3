package dev.mhc.hf.vit;

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

/** Our ViTModel on HF's tiny checkpoint against the outputs HF computed for it. */
class ViTFixtureTest extends ManagedTest {

    private final Golden golden = Golden.fixture("vit-tiny");

    private ViTModel load() throws IOException {
        ViTModel model = new ViTModel(HfConfigs.read(golden.dir(), ViTConfig.class));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(golden.dir())) {
            WeightLoader.load(model, checkpoint, manager);
        }
        return model;
    }

    @Test
    void everyHiddenStateAttentionAndOutputMatchesHuggingFace() throws IOException {
        ViTModel model = load();
        LayerRecorder recorder = new LayerRecorder(model, "embeddings", "ViTLayer");
        NDList out = model.forward(ps, new NDList(golden.input("pixel_values", manager)), false);
        float worst = Parity.check(golden, manager, out, recorder, 1e-4f);
        System.out.printf("vit-tiny vs HF: max abs diff over all outputs %.3g%n", worst);
    }

    @Test
    void mhcAtEpsilonZeroKeepsTheOutputs() throws IOException {
        ViTModel model = load();
        NDList pixels = new NDList(golden.input("pixel_values", manager));
        NDArray plain = model.forward(ps, pixels, false).get(0);
        Mhc.builder().target("ViTLayer").maxHistory(4).epsilon(0).inject(model);
        assertTrue(Golden.maxAbsDiff(plain, model.forward(ps, pixels, false).get(0)) <= 1e-6f);
    }
}
