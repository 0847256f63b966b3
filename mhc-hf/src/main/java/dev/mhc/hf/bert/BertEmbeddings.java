package dev.mhc.hf.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Embedding;
import dev.mhc.core.nn.LayerNorm;
import dev.mhc.hf.common.Dropouts;

/** Word + absolute position + token type embeddings, then LayerNorm and dropout. */
public class BertEmbeddings extends Module {

    private final BertConfig config;

    public BertEmbeddings(BertConfig config) {
        this.config = config;
        register("word_embeddings", new Embedding(config.vocabSize(), config.hiddenSize()));
        register("position_embeddings", new Embedding(config.maxPositionEmbeddings(), config.hiddenSize()));
        register("token_type_embeddings", new Embedding(config.typeVocabSize(), config.hiddenSize()));
        register("LayerNorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /** Inputs: [input_ids, token_type_ids]; outputs: [embeddings]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray ids = inputs.get(0);
        NDArray tokenTypes = inputs.get(1);
        long seq = ids.getShape().get(1);
        if (seq > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException(
                    "sequence of "
                            + seq
                            + " tokens is longer than max_position_embeddings "
                            + config.maxPositionEmbeddings()
                            + "; truncate the input");
        }
        NDManager manager = ids.getManager();
        NDArray positions = manager.arange(0, (int) seq, 1, DataType.INT64).expandDims(0);
        NDArray x = f.call("word_embeddings", ids)
                .add(f.call("token_type_embeddings", tokenTypes))
                .add(f.call("position_embeddings", positions));
        x = f.call("LayerNorm", x);
        return new NDList(Dropouts.apply(x, config.hiddenDropoutProb(), f.training()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }
}
