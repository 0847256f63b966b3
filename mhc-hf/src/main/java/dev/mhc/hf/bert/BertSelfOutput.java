package dev.mhc.hf.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.LayerNorm;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.common.Dropouts;

/**
 * dense, dropout, then LayerNorm of the residual sum: the post-norm tail shared by the attention
 * block ({@code attention.output}) and the feed-forward block ({@code output}).
 */
public class BertSelfOutput extends Module {

    private final double dropout;

    public BertSelfOutput(BertConfig config) {
        this(config, config.hiddenSize());
    }

    BertSelfOutput(BertConfig config, int inFeatures) {
        this.dropout = config.hiddenDropoutProb();
        register("dense", new Linear(inFeatures, config.hiddenSize()));
        register("LayerNorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /** Inputs: [hidden, residual]; outputs: [LayerNorm(dropout(dense(hidden)) + residual)]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray h = f.call("dense", inputs.get(0));
        h = Dropouts.apply(h, dropout, f.training()).add(inputs.get(1));
        return f.outputs("LayerNorm", h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[1]};
    }
}
