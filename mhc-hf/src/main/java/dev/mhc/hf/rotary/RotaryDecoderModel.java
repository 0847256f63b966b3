package dev.mhc.hf.rotary;

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
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * HF's {@code LlamaModel} (and {@code Qwen2Model}, {@code Qwen3Model}, {@code Gemma3TextModel}):
 * {@code embed_tokens} (times the spec's embedding scale), {@code layers.N} as the spec builds them,
 * {@code norm}. Each layer gets its rotary tables and the causal mask of its window.
 *
 * <p>Inputs: [input_ids, attention_mask [batch, past + seq] (optional), position_ids
 * (optional)]. Outputs: [last_hidden_state after norm]. A {@link KvCache} in the call's
 * parameters (windows from {@link DecoderSpec#cacheWindows()}) supplies the past.
 */
public class RotaryDecoderModel extends Module {

    private final DecoderSpec spec;
    private final ModuleList layers;

    public RotaryDecoderModel(DecoderSpec spec) {
        this.spec = spec;
        register("embed_tokens", new Embedding(spec.vocabSize(), spec.hiddenSize()));
        layers = register("layers", new ModuleList());
        for (int i = 0; i < spec.numHiddenLayers(); i++) {
            layers.add(spec.layers().apply(i));
        }
        register("norm", spec.norm());
    }

    @Override
    public String className() {
        return spec.baseClassName();
    }

    public DecoderSpec spec() {
        return spec;
    }

    public Embedding embedTokens() {
        return (Embedding) child("embed_tokens");
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray ids = TokenInputs.ids(inputs, className(), "[input_ids, attention_mask, position_ids]",
                spec.vocabSize());
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
        NDArray x = f.call("embed_tokens", ids);
        if (spec.embeddingScale() != 1) {
            x = Scalars.mul(x, (float) spec.embeddingScale());
        }
        Map<RotaryEmbedding, NDList> ropes = new IdentityHashMap<>();
        Map<Integer, NDArray> masks = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            int window = spec.windows().get(i);
            long kept = window == 0 || cache == null ? past : cache.kept(i);
            NDArray mask = masks.computeIfAbsent(window, w -> AttentionMasks.causal(manager, attentionMask, batch,
                    seq, past, past - kept, kept + seq, w));
            NDList rope = ropes.computeIfAbsent(spec.ropes().get(i), r -> r.table(positions));
            x = f.runLayer(layers.get(i), new NDList(x, mask, rope.get(0), rope.get(1)));
        }
        if (cache != null) {
            cache.advance(seq);
        }
        return f.outputs("norm", x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(spec.hiddenSize())};
    }
}
