package dev.mhc.hf.rotary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Activations;
import dev.mhc.core.nn.Linear;
import java.util.function.UnaryOperator;

/** The gated feed-forward block of Llama, Qwen and Gemma: down_proj(act(gate_proj(x)) * up_proj(x)). */
public class GatedMLP extends Module {

    private final String family;
    private final UnaryOperator<NDArray> activation;

    /**
     * @param family the HF class-name prefix ({@code "Qwen2"} makes a {@code Qwen2MLP})
     * @param activation HF's name of the gate's activation ({@code "silu"})
     * @param bias whether the three projections have biases (Llama's {@code mlp_bias})
     */
    public GatedMLP(String family, long hiddenSize, long intermediateSize, String activation, boolean bias) {
        this.family = family;
        this.activation = Activations.named(activation);
        register("gate_proj", new Linear(hiddenSize, intermediateSize, bias));
        register("up_proj", new Linear(hiddenSize, intermediateSize, bias));
        register("down_proj", new Linear(intermediateSize, hiddenSize, bias));
    }

    @Override
    public String className() {
        return family + "MLP";
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
