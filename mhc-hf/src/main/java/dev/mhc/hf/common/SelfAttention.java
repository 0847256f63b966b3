package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.unpad.Unpadding;
import java.util.ArrayList;
import java.util.List;

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
     * the projections run packed, the attention per sequence, in buckets of similar length; the
     * probabilities are then not returned (an empty array): the padded model gives them.
     */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        Unpadding unpadding = Unpadding.from(f.params());
        NDArray q = f.call("query", x);
        NDArray k = f.call("key", x);
        NDArray v = f.call("value", x);
        if (unpadding != null) {
            return attendByBucket(q, k, v, unpadding, f.training());
        }
        NDList attended = AttentionHeads.attend(AttentionHeads.split(q, heads), AttentionHeads.split(k, heads),
                AttentionHeads.split(v, heads), mask, (float) dropout, f.training());
        return new NDList(AttentionHeads.merge(attended.get(0)), attended.get(1));
    }

    private NDList attendByBucket(NDArray q, NDArray k, NDArray v, Unpadding unpadding, boolean training) {
        List<NDArray> contexts = new ArrayList<>();
        for (Unpadding.Bucket bucket : unpadding.buckets()) {
            NDList attended = AttentionHeads.attend(AttentionHeads.split(bucket.spread(q), heads),
                    AttentionHeads.split(bucket.spread(k), heads), AttentionHeads.split(bucket.spread(v), heads),
                    bucket.mask(), (float) dropout, training);
            contexts.add(AttentionHeads.merge(attended.get(0)));
        }
        return new NDList(unpadding.gather(contexts), q.getManager().create(new float[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
