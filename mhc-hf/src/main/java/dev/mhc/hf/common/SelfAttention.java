package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.unpad.Unpadding;

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

    /**
     * Inputs: [hidden, additive mask or absent]; outputs: [context, attention probabilities]. With
     * an {@link Unpadding} in the call, hidden and context are packed tokens [1, tokens, hidden]:
     * the projections run packed, the attention itself per sequence.
     */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        Unpadding unpadding = Unpadding.from(f.params());
        NDArray q = heads(f.call("query", x), unpadding);
        NDArray k = heads(f.call("key", x), unpadding);
        NDArray v = heads(f.call("value", x), unpadding);
        NDList attended = AttentionHeads.attend(q, k, v, mask, (float) dropout, f.training());
        NDArray context = AttentionHeads.merge(attended.get(0));
        return new NDList(unpadding == null ? context : unpadding.pack(context), attended.get(1));
    }

    private NDArray heads(NDArray projected, Unpadding unpadding) {
        return AttentionHeads.split(unpadding == null ? projected : unpadding.spread(projected), heads);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
