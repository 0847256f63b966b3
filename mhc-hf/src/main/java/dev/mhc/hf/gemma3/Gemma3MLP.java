package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Activations;
import dev.mhc.core.nn.Linear;
import java.util.function.UnaryOperator;

/** The gated feed-forward block: down_proj(act(gate_proj(x)) * up_proj(x)). */
public class Gemma3MLP extends Module {

    private final UnaryOperator<NDArray> activation;

    public Gemma3MLP(Gemma3TextConfig config) {
        this.activation = Activations.named(config.hiddenActivation());
        register("gate_proj", new Linear(config.hiddenSize(), config.intermediateSize(), false));
        register("up_proj", new Linear(config.hiddenSize(), config.intermediateSize(), false));
        register("down_proj", new Linear(config.intermediateSize(), config.hiddenSize(), false));
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        return new NDList(f.call("down_proj", activation.apply(f.call("gate_proj", x)).mul(f.call("up_proj", x))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
