package dev.mhc.hf.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Conv1D;
import dev.mhc.hf.common.Dropouts;
import dev.mhc.hf.common.AttentionHeads;
import dev.mhc.hf.generate.KvCache;

/** Causal self-attention: {@code c_attn} makes q, k, v in one projection, {@code c_proj} mixes heads. */
public class GPT2Attention extends Module {

    private final GPT2Config config;
    private final int layerIdx;

    public GPT2Attention(GPT2Config config, int layerIdx) {
        this.config = config;
        this.layerIdx = layerIdx;
        register("c_attn", new Conv1D(config.nEmbd(), 3L * config.nEmbd()));
        register("c_proj", new Conv1D(config.nEmbd(), config.nEmbd()));
    }

    /** Inputs: [hidden, additive causal mask]; outputs: [attention output, probabilities]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray qkv = f.call("c_attn", inputs.get(0));
        int e = config.nEmbd();
        NDArray q = AttentionHeads.split(qkv.get(new NDIndex("..., 0:{}", e)), config.nHead());
        NDArray k = AttentionHeads.split(qkv.get(new NDIndex("..., {}:{}", e, 2 * e)), config.nHead());
        NDArray v = AttentionHeads.split(qkv.get(new NDIndex("..., {}:", 2 * e)), config.nHead());
        KvCache cache = KvCache.from(f.params());
        if (cache != null) {
            NDList past = cache.update(layerIdx, k, v);
            k = past.get(0);
            v = past.get(1);
        }
        NDList attended = AttentionHeads.attend(q, k, v, inputs.get(1), config.attnPdrop().floatValue(), f.training());
        NDArray out = f.call("c_proj", AttentionHeads.merge(attended.get(0)));
        return new NDList(Dropouts.apply(out, config.residPdrop(), f.training()), attended.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
