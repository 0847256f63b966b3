package dev.mhc.hf.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/** One transformer layer: attention, then the feed-forward block (the mHC injection target). */
public class BertLayer extends Module {

    public BertLayer(BertConfig config) {
        register("attention", new BertAttention(config));
        register("intermediate", new BertIntermediate(config));
        register("output", new BertOutput(config));
    }

    /** Inputs: [hidden, additive mask]; outputs: [hidden, attention probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDList attention = f.outputs("attention", inputs);
        NDList expanded = f.outputs("intermediate", attention.get(0));
        NDList out = f.outputs("output", expanded.head(), attention.get(0));
        return new NDList(out.head(), attention.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
