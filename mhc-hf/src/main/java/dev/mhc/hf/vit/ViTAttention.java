package dev.mhc.hf.vit;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;

/** Self-attention ({@code attention}) and its projection ({@code output}), without residual. */
public class ViTAttention extends Module {

    public ViTAttention(ViTConfig config) {
        register("attention", new ViTSelfAttention(config));
        register("output", new ViTSelfOutput(config));
    }

    /** Inputs: [hidden]; outputs: [attention output, attention probabilities]. */
    @Override
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList self = forwardChild("attention", ps, inputs, training, params);
        NDList out = forwardChild("output", ps, new NDList(self.get(0)), training, params);
        return new NDList(out.head(), self.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
