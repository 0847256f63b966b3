package dev.mhc.hf.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;
import dev.mhc.core.nn.Embedding;
import dev.mhc.core.nn.LayerNorm;
import dev.mhc.hf.common.Dropouts;
import dev.mhc.hf.common.TokenInputs;
import dev.mhc.hf.generate.AttentionMasks;
import dev.mhc.hf.generate.KvCache;

/**
 * Hugging Face's {@code GPT2Model}: {@code wte}, {@code wpe}, {@code h.N} of {@link GPT2Block},
 * {@code ln_f}.
 *
 * <p>Inputs: [input_ids, attention_mask [batch, past + seq] (optional), position_ids
 * (optional; default past..past+seq-1)]. Outputs: [last_hidden_state after ln_f]. A {@link
 * KvCache} in the call's parameters supplies the past and receives this step.
 */
public class GPT2Model extends Module {

    private final GPT2Config config;
    private final ModuleList blocks;

    public GPT2Model(GPT2Config config) {
        this.config = config;
        register("wte", new Embedding(config.vocabSize(), config.nEmbd()));
        register("wpe", new Embedding(config.nPositions(), config.nEmbd()));
        blocks = register("h", new ModuleList());
        for (int i = 0; i < config.nLayer(); i++) {
            blocks.add(new GPT2Block(config, i));
        }
        register("ln_f", new LayerNorm(config.nEmbd(), config.layerNormEpsilon()));
    }

    public GPT2Config config() {
        return config;
    }

    /** @return the word embeddings, whose weight the LM head shares */
    public Embedding wte() {
        return (Embedding) child("wte");
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray ids = TokenInputs.ids(inputs, "GPT2Model", "[input_ids, attention_mask, position_ids]",
                config.vocabSize());
        NDArray attentionMask = inputs.size() > 1 ? inputs.get(1) : null;
        long batch = ids.getShape().get(0);
        long seq = ids.getShape().get(1);
        KvCache cache = KvCache.from(f.params());
        long past = cache == null ? 0 : cache.seen();
        if (past + seq > config.nPositions()) {
            throw new IllegalArgumentException(
                    "position " + (past + seq) + " is past n_positions " + config.nPositions() + "; shorten the input");
        }
        if (attentionMask != null) {
            TokenInputs.mask(attentionMask, ids, past + seq);
        }
        NDArray positions = inputs.size() > 2
                ? inputs.get(2)
                : ids.getManager().arange(past, past + seq, 1, DataType.INT64).expandDims(0);
        if (inputs.size() > 2) {
            TokenInputs.inRange(positions, "position_ids", config.nPositions(), "n_positions", "shorten the input");
        }
        NDArray x = f.call("wte", ids)
                .add(f.call("wpe", positions));
        x = Dropouts.apply(x, config.embdPdrop(), f.training());
        NDArray mask = AttentionMasks.causal(ids.getManager(), attentionMask, batch, seq, past, 0, past + seq, 0);
        for (Block block : blocks.blocks()) {
            x = f.runLayer(block, new NDList(x, mask));
        }
        if (cache != null) {
            cache.advance(seq);
        }
        return f.outputs("ln_f", x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.nEmbd())};
    }
}
