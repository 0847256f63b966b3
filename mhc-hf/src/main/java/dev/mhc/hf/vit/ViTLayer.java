package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.streams.Residual;
import dev.mhc.core.streams.ResidualBranches;
import java.util.List;
import dev.mhc.core.nn.LayerNorm;

/** A pre-norm transformer layer (the mHC injection target). */
public class ViTLayer extends Module implements ResidualBranches {

    private final long hidden;

    public ViTLayer(ViTConfig config) {
        this.hidden = config.hiddenSize();
        register("attention", new ViTAttention(config));
        register("intermediate", new ViTIntermediate(config));
        register("output", new ViTOutput(config));
        register("layernorm_before", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
        register("layernorm_after", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /** Inputs: [hidden]; outputs: [hidden, attention probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        return forwardResidual(f, inputs, Residual.PLAIN);
    }

    @Override
    public long hiddenSize() {
        return hidden;
    }

    @Override
    public List<String> residualBranches() {
        return List.of("attention", "mlp");
    }

    /**
     * x + attention(layernorm_before(x)), then h + output(intermediate(layernorm_after(h))), each
     * add made by {@code residual} (HF's ViTOutput adds the residual itself; here it is handed
     * only the intermediate activations, so the add is the residual's).
     */
    @Override
    public NDList forwardResidual(Forward f, NDList inputs, Residual residual) {
        NDList[] attention = new NDList[1];
        NDArray h = residual.add(0, inputs.head(),
                x -> (attention[0] = f.outputs("attention", f.call("layernorm_before", x))).head());
        NDArray out = residual.add(1, h,
                x -> f.call("output", f.call("intermediate", f.call("layernorm_after", x))));
        return new NDList(out, attention[0].get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
