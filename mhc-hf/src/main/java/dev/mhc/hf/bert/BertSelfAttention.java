package dev.mhc.hf.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.common.Heads;

/** Multi-head self-attention with query, key and value projections. */
public class BertSelfAttention extends Module {

    private final BertConfig config;

    public BertSelfAttention(BertConfig config) {
        this.config = config;
        int h = config.hiddenSize();
        register("query", new Linear(h, h));
        register("key", new Linear(h, h));
        register("value", new Linear(h, h));
    }

    /** Inputs: [hidden, additive mask or absent]; outputs: [context, attention probabilities]. */
    @Override
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        int heads = config.numAttentionHeads();
        NDArray q = Heads.split(project("query", ps, x, training, params), heads);
        NDArray k = Heads.split(project("key", ps, x, training, params), heads);
        NDArray v = Heads.split(project("value", ps, x, training, params), heads);
        NDList attended =
                Heads.attend(q, k, v, mask, config.attentionProbsDropoutProb().floatValue(), training);
        return new NDList(Heads.merge(attended.get(0)), attended.get(1));
    }

    private NDArray project(
            String name, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
        return forwardChild(name, ps, new NDList(x), training, params).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
