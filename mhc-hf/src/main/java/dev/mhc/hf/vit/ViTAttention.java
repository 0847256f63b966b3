package dev.mhc.hf.vit;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/** Self-attention ({@code attention}) and its projection ({@code output}), without residual. */
public class ViTAttention extends Module {

    public ViTAttention(ViTConfig config) {
        register("attention", new ViTSelfAttention(config));
        register("output", new ViTSelfOutput(config));
    }

    /** Inputs: [hidden]; outputs: [attention output, attention probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDList self = f.outputs("attention", inputs);
        NDList out = f.outputs("output", self.get(0));
        return new NDList(out.head(), self.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
