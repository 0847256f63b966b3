package dev.mhc.hf.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A forward releases each block's intermediates when the block returns: the arrays alive after a
 * call, and those alive as each layer finishes, do not grow with the number of layers (they grew
 * by about 25 per BERT layer when every intermediate lived until the caller's manager closed).
 */
class ForwardMemoryTest {

    /** What a forward leaves behind and what it holds as each layer returns, for a model of {@code layers}. */
    private record Footprint(int after, List<Integer> perLayer) {}

    @ParameterizedTest
    @ValueSource(strings = {"plain", "mhc", "mhc-detached", "training"})
    void liveArraysDoNotGrowWithDepth(String mode) {
        Footprint shallow = footprint(2, mode);
        Footprint deep = footprint(8, mode);
        assertEquals(shallow.after(), deep.after(), mode + ": arrays left after the forward, 2 vs 8 layers");
        List<Integer> held = deep.perLayer();
        for (int i = 1; i < held.size(); i++) {
            int growth = held.get(i) - held.get(i - 1);
            // one hidden state per layer (the encoder's loop variable) and, with detached history, its copy;
            // each layer's attention map is released as soon as the encoder has moved on
            int allowed = mode.equals("mhc-detached") ? 2 : 1;
            assertTrue(growth <= allowed, mode + ": layer " + i + " left " + growth + " more arrays alive than layer "
                    + (i - 1) + " (" + held + ")");
        }
    }

    private static Footprint footprint(int layers, String mode) {
        try (NDManager manager = NDManager.newBaseManager()) {
            BertModel model = new BertModel(new BertConfig(100, 32, layers, 4, 64, null, 0.0, 0.0, 16, 2, null,
                    null, null, null, null));
            Weights.initialize(model, manager);
            if (mode.startsWith("mhc")) {
                Mhc.builder().target("BertLayer").maxHistory(4).detachHistory(mode.equals("mhc-detached"))
                        .inject(model);
            }
            List<Integer> perLayer = new ArrayList<>();
            try (NDManager call = manager.newSubManager()) {
                for (int i = 0; i < layers; i++) { // the block in each slot: the mHC wrapper once injected
                    ((Module) ModuleTree.get(model, "encoder.layer." + i)).registerForwardHook((m, in, out) -> {
                        perLayer.add(manager.getManagedArrays().size());
                        return null;
                    });
                }
                NDList inputs = new NDList(call.randomInteger(0, 100, new Shape(2, 8), DataType.INT64));
                ParameterStore store = new ParameterStore(call, false);
                if (mode.equals("training")) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(model.forward(store, inputs, true).head().sum());
                    }
                } else {
                    model.forward(store, inputs, false);
                }
                return new Footprint(manager.getManagedArrays().size() - parameterCount(model), perLayer);
            }
        }
    }

    private static int parameterCount(BertModel model) {
        return ModuleTree.parameters(model).size();
    }
}
