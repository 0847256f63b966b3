package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;

/**
 * Encoder self-attention with {@code query}, {@code key}, {@code value} projections (BERT's and
 * ViT's are this same code; each family subclasses it under its HF class name).
 */
public class SelfAttention extends Module {

    private final int heads;
    private final double dropout;

    public SelfAttention(int hidden, int heads, boolean bias, double dropout) {
        this.heads = heads;
        this.dropout = dropout;
        register("query", new Linear(hidden, hidden, bias));
        register("key", new Linear(hidden, hidden, bias));
        register("value", new Linear(hidden, hidden, bias));
    }

    /** Inputs: [hidden, additive mask or absent]; outputs: [context, attention probabilities]. */
    @Override
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        NDArray q = Heads.split(project("query", ps, x, training, params), heads);
        NDArray k = Heads.split(project("key", ps, x, training, params), heads);
        NDArray v = Heads.split(project("value", ps, x, training, params), heads);
        NDList attended = Heads.attend(q, k, v, mask, (float) dropout, training);
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
