package dev.mhc.hf.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
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
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = activation.apply(forwardChild("c_fc", ps, inputs, training, params).head());
        NDArray out = forwardChild("c_proj", ps, new NDList(h), training, params).head();
        return new NDList(Dropouts.apply(out, dropout, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
