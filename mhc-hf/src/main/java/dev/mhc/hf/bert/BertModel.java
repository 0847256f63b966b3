package dev.mhc.hf.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;
import dev.mhc.hf.common.Heads;

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
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray attentionMask = inputs.size() > 1 ? inputs.get(1) : ids.onesLike();
        NDArray tokenTypes = inputs.size() > 2 ? inputs.get(2) : ids.zerosLike();
        NDArray embedded =
                forwardChild("embeddings", ps, new NDList(ids, tokenTypes), training, params).head();
        NDArray mask = Heads.paddingMask(attentionMask);
        NDArray hidden = forwardChild("encoder", ps, new NDList(embedded, mask), training, params).head();
        if (!pooling) {
            return new NDList(hidden);
        }
        return new NDList(hidden, forwardChild("pooler", ps, new NDList(hidden), training, params).head());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape hidden = inputShapes[0].add(config.hiddenSize());
        return pooling
                ? new Shape[] {hidden, new Shape(inputShapes[0].get(0), config.hiddenSize())}
                : new Shape[] {hidden};
    }
}
