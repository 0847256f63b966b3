package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;
import dev.mhc.hf.common.Dropouts;

/**
 * dense then dropout; with a second input, plus that residual. The attention's {@code output}
 * has no residual (the layer adds it); {@link ViTOutput} adds it itself, as in HF.
 */
public class ViTSelfOutput extends Module {

    private final double dropout;
    private final int hidden;

    public ViTSelfOutput(ViTConfig config) {
        this(config, config.hiddenSize());
    }

    ViTSelfOutput(ViTConfig config, int inFeatures) {
        this.dropout = config.hiddenDropoutProb();
        this.hidden = config.hiddenSize();
        register("dense", new Linear(inFeatures, hidden));
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray h = f.call("dense", inputs.get(0));
        h = Dropouts.apply(h, dropout, f.training());
        return new NDList(inputs.size() > 1 ? h.add(inputs.get(1)) : h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(hidden)};
    }
}
