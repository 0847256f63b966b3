package dev.mhc.hf.rotary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.common.AttentionHeads;
import dev.mhc.hf.generate.KvCache;

/**
 * Grouped-query attention with rotary positions and a KV cache, as Llama, Qwen2, Qwen3 and Gemma 3
 * compute it: q/k/v projections (optionally with per-head q/k RMSNorm before RoPE), kv heads
 * repeated to the query heads, eager softmax, o_proj.
 */
public class RotaryAttention extends Module {

    private final AttentionSpec spec;
    private final int cacheSlot;

    /** @param cacheSlot the KV-cache slot this attention reads and writes (its layer index) */
    public RotaryAttention(AttentionSpec spec, int cacheSlot) {
        this.spec = spec;
        this.cacheSlot = cacheSlot;
        int h = spec.hiddenSize();
        long q = (long) spec.heads() * spec.headDim();
        long kv = (long) spec.kvHeads() * spec.headDim();
        register("q_proj", new Linear(h, q, spec.qkvBias()));
        register("k_proj", new Linear(h, kv, spec.qkvBias()));
        register("v_proj", new Linear(h, kv, spec.qkvBias()));
        register("o_proj", new Linear(q, h, spec.outputBias()));
        if (spec.qkNorm() != null) {
            register("q_norm", new RMSNorm(spec.family(), spec.headDim(), spec.normEps(), spec.qkNorm()));
            register("k_norm", new RMSNorm(spec.family(), spec.headDim(), spec.normEps(), spec.qkNorm()));
        }
    }

    @Override
    public String className() {
        return spec.family() + "Attention";
    }

    public AttentionSpec spec() {
        return spec;
    }

    /** Inputs: [hidden, additive mask, cos, sin]; outputs: [attention output, probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray q = AttentionHeads.split(f.call("q_proj", x), spec.heads());
        NDArray k = AttentionHeads.split(f.call("k_proj", x), spec.kvHeads());
        NDArray v = AttentionHeads.split(f.call("v_proj", x), spec.kvHeads());
        if (spec.qkNorm() != null) {
            q = f.call("q_norm", q);
            k = f.call("k_norm", k);
        }
        q = RotaryEmbedding.apply(q, inputs.get(2), inputs.get(3));
        k = RotaryEmbedding.apply(k, inputs.get(2), inputs.get(3));
        KvCache cache = KvCache.from(f.params());
        if (cache != null) {
            NDList past = cache.update(cacheSlot, k, v);
            k = past.get(0);
            v = past.get(1);
        }
        int groups = spec.heads() / spec.kvHeads();
        NDList attended = AttentionHeads.attend(q, repeat(k, groups), repeat(v, groups), inputs.get(1),
                (float) spec.scale(), (float) spec.dropout(), f.training());
        NDArray out = f.call("o_proj", AttentionHeads.merge(attended.get(0)));
        return new NDList(out, attended.get(1));
    }

    /** [batch, kv heads, time, dim] -> [batch, kv heads * groups, time, dim], each kv head repeated. */
    private static NDArray repeat(NDArray x, int groups) {
        if (groups == 1) {
            return x;
        }
        Shape s = x.getShape();
        return x.expandDims(2).broadcast(new Shape(s.get(0), s.get(1), groups, s.get(2), s.get(3)))
                .reshape(s.get(0), s.get(1) * groups, s.get(2), s.get(3));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
