package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;
import dev.mhc.core.nn.Embedding;
import dev.mhc.core.nn.Scalars;
import dev.mhc.hf.common.TokenInputs;
import dev.mhc.hf.generate.AttentionMasks;
import dev.mhc.hf.generate.KvCache;

/**
 * Hugging Face's {@code Gemma3TextModel}: {@code embed_tokens} (scaled by sqrt(hidden_size)),
 * {@code layers.N} of {@link Gemma3DecoderLayer}, {@code norm}. Local layers get the sliding-window
 * mask and RoPE with rope_local_base_freq; global layers the full causal mask and RoPE with
 * rope_theta and its scaling.
 *
 * <p>Inputs: [input_ids, attention_mask [batch, past + seq] (optional), position_ids
 * (optional)]. Outputs: [last_hidden_state after norm]. A {@link KvCache} in the call's
 * parameters (windows from {@link Gemma3TextConfig#cacheWindows()}) supplies the past.
 */
public class Gemma3TextModel extends Module {

    private final Gemma3TextConfig config;
    private final ModuleList layers;

    public Gemma3TextModel(Gemma3TextConfig config) {
        this.config = config;
        register("embed_tokens", new Embedding(config.vocabSize(), config.hiddenSize()));
        layers = register("layers", new ModuleList());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new Gemma3DecoderLayer(config, i));
        }
        register("norm", Gemma3DecoderLayer.norm(config));
    }

    public Gemma3TextConfig config() {
        return config;
    }

    public Embedding embedTokens() {
        return (Embedding) child("embed_tokens");
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray ids = TokenInputs.ids(inputs, "Gemma3TextModel", "[input_ids, attention_mask, position_ids]",
                config.vocabSize());
        NDArray attentionMask = inputs.size() > 1 ? inputs.get(1) : null;
        NDManager manager = ids.getManager();
        long batch = ids.getShape().get(0);
        long seq = ids.getShape().get(1);
        KvCache cache = KvCache.from(f.params());
        long past = cache == null ? 0 : cache.seen();
        if (attentionMask != null) {
            TokenInputs.mask(attentionMask, ids, past + seq);
        }
        NDArray positions = inputs.size() > 2
                ? inputs.get(2)
                : manager.arange(past, past + seq, 1, DataType.INT64).expandDims(0);
        float scale = (float) Math.sqrt(config.hiddenSize());
        NDArray x = Scalars.mul(f.call("embed_tokens", ids), scale);

        NDList global = config.globalRope().table(positions);
        NDList local = config.localRope().table(positions);
        NDArray globalMask = AttentionMasks.causal(manager, attentionMask, batch, seq, past, 0, past + seq, 0);
        NDArray localMask = null;
        for (int i = 0; i < layers.size(); i++) {
            boolean sliding = config.isSliding(i);
            if (sliding && localMask == null) {
                long kept = cache == null ? 0 : cache.kept(i);
                localMask = AttentionMasks.causal(manager, attentionMask, batch, seq, past, past - kept, kept + seq,
                        config.slidingWindow());
            }
            NDList rope = sliding ? local : global;
            NDList layerInputs = new NDList(x, sliding ? localMask : globalMask, rope.get(0), rope.get(1));
            x = f.runLayer(layers.get(i), layerInputs);
        }
        if (cache != null) {
            cache.advance(seq);
        }
        return f.outputs("norm", x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }
}
