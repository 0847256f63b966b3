package dev.mhc.hf.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.common.Dropouts;

/**
 * {@code bert} (a {@link BertModel} with pooler), dropout and a linear {@code classifier} over the
 * pooled output: HF's {@code BertForSequenceClassification}. Outputs: [logits [batch, labels]].
 */
public class BertForSequenceClassification extends Module {

    /** The base model's attribute name, the prefix of its keys in task checkpoints. */
    public static final String BASE_PREFIX = "bert";

    private final BertConfig config;

    public BertForSequenceClassification(BertConfig config) {
        this.config = config;
        register(BASE_PREFIX, new BertModel(config, true));
        register("classifier", new Linear(config.hiddenSize(), config.numLabels()));
    }

    public BertConfig config() {
        return config;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray pooled = f.outputs(BASE_PREFIX, inputs).get(1);
        pooled = Dropouts.apply(pooled, config.headDropout(), f.training());
        return f.outputs("classifier", pooled);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numLabels())};
    }
}
