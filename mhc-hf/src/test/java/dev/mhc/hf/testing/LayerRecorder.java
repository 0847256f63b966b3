package dev.mhc.hf.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.mhc.core.module.ForwardHook;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * Records, through forward hooks, what HF's {@code output_hidden_states} and {@code
 * output_attentions} return: the embeddings' output, then each layer's [hidden, probabilities].
 */
public final class LayerRecorder {

    public final List<NDArray> hiddenStates = new ArrayList<>();
    public final List<NDArray> attentions = new ArrayList<>();

    public LayerRecorder(Block model, String embeddingsPath, String layerClass) {
        ((Module) ModuleTree.get(model, embeddingsPath))
                .registerForwardHook((m, in, out) -> {
                    hiddenStates.add(ForwardHook.keep(out.head()));
                    return null;
                });
        for (ModuleTree.Entry layer : ModuleTree.select(model, Selector.byClassName(layerClass))) {
            ((Module) layer.block()).registerForwardHook((m, in, out) -> {
                hiddenStates.add(ForwardHook.keep(out.get(0)));
                attentions.add(ForwardHook.keep(out.get(1)));
                return null;
            });
        }
    }
}
