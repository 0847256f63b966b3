package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.common.AttentionHeads;
import dev.mhc.hf.generate.KvCache;

/**
 * Grouped-query attention with RMS-normalised queries and keys ({@code q_norm}, {@code k_norm}),
 * rotary positions, and scores scaled by query_pre_attn_scalar^-0.5 (not head_dim^-0.5).
 */
public class Gemma3Attention extends Module {

    private final Gemma3TextConfig config;
    private final int cacheSlot;

    /** @param cacheSlot the KV-cache slot this attention reads and writes (its layer index) */
    public Gemma3Attention(Gemma3TextConfig config, int cacheSlot) {
        this.config = config;
        this.cacheSlot = cacheSlot;
        int h = config.hiddenSize();
        int d = config.headDim();
        boolean bias = config.attentionBias();
        register("q_proj", new Linear(h, (long) config.numAttentionHeads() * d, bias));
        register("k_proj", new Linear(h, (long) config.numKeyValueHeads() * d, bias));
        register("v_proj", new Linear(h, (long) config.numKeyValueHeads() * d, bias));
        register("o_proj", new Linear((long) config.numAttentionHeads() * d, h, bias));
        register("q_norm", new Gemma3RMSNorm(d, config.rmsNormEps()));
        register("k_norm", new Gemma3RMSNorm(d, config.rmsNormEps()));
    }

    public int cacheSlot() {
        return cacheSlot;
    }

    /** Inputs: [hidden, additive mask, cos, sin]; outputs: [attention output, probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray q = f.call("q_norm", AttentionHeads.split(f.call("q_proj", x), config.numAttentionHeads()));
        NDArray k = f.call("k_norm", AttentionHeads.split(f.call("k_proj", x), config.numKeyValueHeads()));
        NDArray v = AttentionHeads.split(f.call("v_proj", x), config.numKeyValueHeads());
        q = Gemma3Rope.apply(q, inputs.get(2), inputs.get(3));
        k = Gemma3Rope.apply(k, inputs.get(2), inputs.get(3));
        KvCache cache = KvCache.from(f.params());
        if (cache != null) {
            NDList past = cache.update(cacheSlot, k, v);
            k = past.get(0);
            v = past.get(1);
        }
        int groups = config.numAttentionHeads() / config.numKeyValueHeads();
        NDList attended = AttentionHeads.attend(q, repeat(k, groups), repeat(v, groups), inputs.get(1),
                (float) Math.pow(config.queryPreAttnScalar(), -0.5), config.attentionDropout().floatValue(), f.training());
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
