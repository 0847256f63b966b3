package dev.mhc.hf.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
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
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList attention = forwardChild("attention", ps, inputs, training, params);
        NDList expanded = forwardChild("intermediate", ps, new NDList(attention.get(0)), training, params);
        NDList out = forwardChild(
                "output", ps, new NDList(expanded.head(), attention.get(0)), training, params);
        return new NDList(out.head(), attention.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
