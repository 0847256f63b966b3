package dev.mhc.hf.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.hf.common.AttentionHeads;
import dev.mhc.hf.common.TokenInputs;

/**
 * Hugging Face's {@code BertModel}: {@code embeddings}, {@code encoder.layer.N} of {@link
 * BertLayer}, and an optional {@code pooler}, with HF's parameter names.
 *
 * <p>Inputs: [input_ids, attention_mask, token_type_ids] (int64 [batch, seq]; the last two may be
 * left out: all ones, all zeros). Outputs: [last_hidden_state, pooler_output (with a pooler)].
 */
public class BertModel extends Module {

    private final BertConfig config;
    private final boolean pooling;

    public BertModel(BertConfig config) {
        this(config, true);
    }

    public BertModel(BertConfig config, boolean addPoolingLayer) {
        this.config = config;
        this.pooling = addPoolingLayer;
        register("embeddings", new BertEmbeddings(config));
        register("encoder", new BertEncoder(config));
        if (addPoolingLayer) {
            register("pooler", new BertPooler(config.hiddenSize()));
        }
    }

    public BertConfig config() {
        return config;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray ids = TokenInputs.ids(inputs, "BertModel", "[input_ids, attention_mask, token_type_ids]",
                config.vocabSize());
        NDArray attentionMask = inputs.size() > 1 ? inputs.get(1) : ids.onesLike();
        NDArray tokenTypes = inputs.size() > 2 ? inputs.get(2) : ids.zerosLike();
        if (inputs.size() > 1) {
            TokenInputs.mask(attentionMask, ids, ids.getShape().get(1));
        }
        if (inputs.size() > 2) {
            TokenInputs.tokenTypes(tokenTypes, ids, config.typeVocabSize());
        }
        NDArray embedded =
                f.call("embeddings", ids, tokenTypes);
        NDArray mask = AttentionHeads.paddingMask(attentionMask);
        NDArray hidden = f.call("encoder", embedded, mask);
        if (!pooling) {
            return new NDList(hidden);
        }
        return new NDList(hidden, f.call("pooler", hidden));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape hidden = inputShapes[0].add(config.hiddenSize());
        return pooling
                ? new Shape[] {hidden, new Shape(inputShapes[0].get(0), config.hiddenSize())}
                : new Shape[] {hidden};
    }
}
