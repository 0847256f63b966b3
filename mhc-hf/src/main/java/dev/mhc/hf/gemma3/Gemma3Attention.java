package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.common.Heads;
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
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray q = heads("q_proj", "q_norm", config.numAttentionHeads(), ps, x, training, params);
        NDArray k = heads("k_proj", "k_norm", config.numKeyValueHeads(), ps, x, training, params);
        NDArray v = Heads.split(forwardChild("v_proj", ps, new NDList(x), training, params).head(),
                config.numKeyValueHeads());
        q = Gemma3Rope.apply(q, inputs.get(2), inputs.get(3));
        k = Gemma3Rope.apply(k, inputs.get(2), inputs.get(3));
        KvCache cache = KvCache.from(params);
        if (cache != null) {
            NDList past = cache.update(cacheSlot, k, v);
            k = past.get(0);
            v = past.get(1);
        }
        int groups = config.numAttentionHeads() / config.numKeyValueHeads();
        NDList attended = Heads.attend(q, repeat(k, groups), repeat(v, groups), inputs.get(1),
                (float) Math.pow(config.queryPreAttnScalar(), -0.5), config.attentionDropout().floatValue(), training);
        NDArray out = forwardChild("o_proj", ps, new NDList(Heads.merge(attended.get(0))), training, params).head();
        return new NDList(out, attended.get(1));
    }

    private NDArray heads(String projection, String norm, int count, ParameterStore ps, NDArray x, boolean training,
            PairList<String, Object> params) {
        NDArray split = Heads.split(forwardChild(projection, ps, new NDList(x), training, params).head(), count);
        return forwardChild(norm, ps, new NDList(split), training, params).head();
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
