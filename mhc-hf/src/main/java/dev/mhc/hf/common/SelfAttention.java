package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
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
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        NDArray q = AttentionHeads.split(f.call("query", x), heads);
        NDArray k = AttentionHeads.split(f.call("key", x), heads);
        NDArray v = AttentionHeads.split(f.call("value", x), heads);
        NDList attended = AttentionHeads.attend(q, k, v, mask, (float) dropout, f.training());
        return new NDList(AttentionHeads.merge(attended.get(0)), attended.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
