package dev.mhc.hf.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.streams.Residual;
import dev.mhc.core.streams.ResidualBranches;
import java.util.List;
import dev.mhc.core.nn.LayerNorm;

/** A pre-norm decoder block (the mHC injection target). */
public class GPT2Block extends Module implements ResidualBranches {

    private final long hidden;

    public GPT2Block(GPT2Config config, int layerIdx) {
        this.hidden = config.nEmbd();
        register("ln_1", new LayerNorm(config.nEmbd(), config.layerNormEpsilon()));
        register("attn", new GPT2Attention(config, layerIdx));
        register("ln_2", new LayerNorm(config.nEmbd(), config.layerNormEpsilon()));
        register("mlp", new GPT2MLP(config));
    }

    /** Inputs: [hidden, additive causal mask]; outputs: [hidden, attention probabilities]. */
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
        return List.of("attn", "mlp");
    }

    /** x + attn(ln_1(x)), then h + mlp(ln_2(h)), each add made by {@code residual}. */
    @Override
    public NDList forwardResidual(Forward f, NDList inputs, Residual residual) {
        NDList[] attention = new NDList[1];
        NDArray h = residual.add(0, inputs.get(0),
                x -> (attention[0] = f.outputs("attn", f.call("ln_1", x), inputs.get(1))).head());
        NDArray out = residual.add(1, h, x -> f.call("mlp", f.call("ln_2", x)));
        return new NDList(out, attention[0].get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
