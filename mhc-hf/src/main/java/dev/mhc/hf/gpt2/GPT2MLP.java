package dev.mhc.hf.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Activations;
import dev.mhc.core.nn.Conv1D;
import dev.mhc.hf.common.Dropouts;
import java.util.function.UnaryOperator;

/** {@code c_proj(act(c_fc(x)))} with dropout. */
public class GPT2MLP extends Module {

    private final UnaryOperator<NDArray> activation;
    private final double dropout;

    public GPT2MLP(GPT2Config config) {
        this.activation = Activations.named(config.activationFunction());
        this.dropout = config.residPdrop();
        register("c_fc", new Conv1D(config.nEmbd(), config.nInner()));
        register("c_proj", new Conv1D(config.nInner(), config.nEmbd()));
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray h = activation.apply(f.call("c_fc", inputs.head()));
        NDArray out = f.call("c_proj", h);
        return new NDList(Dropouts.apply(out, dropout, f.training()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
