package dev.mhc.hf.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/** Self-attention ({@code self}) followed by its output projection ({@code output}). */
public class BertAttention extends Module {

    public BertAttention(BertConfig config) {
        register("self", new BertSelfAttention(config));
        register("output", new BertSelfOutput(config));
    }

    /** Inputs: [hidden, mask]; outputs: [attention output, attention probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDList self = f.outputs("self", inputs);
        NDList out = f.outputs("output", self.get(0), inputs.get(0));
        return new NDList(out.head(), self.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
