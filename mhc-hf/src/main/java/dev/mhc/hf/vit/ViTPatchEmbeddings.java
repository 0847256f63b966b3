package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Conv2d;

/** Cuts the image into patches with a stride-patch convolution ({@code projection}). */
public class ViTPatchEmbeddings extends Module {

    private final ViTConfig config;

    public ViTPatchEmbeddings(ViTConfig config) {
        this.config = config;
        register(
                "projection",
                new Conv2d(config.numChannels(), config.hiddenSize(), config.patchSize(), config.patchSize()));
    }

    /** Inputs: [pixel_values [batch, channels, size, size]]; outputs: [[batch, patches, hidden]]. */
    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray pixels = inputs.head();
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || s.get(1) != config.numChannels()
                || s.get(2) != config.imageSize() || s.get(3) != config.imageSize()) {
            throw new IllegalArgumentException(
                    "pixel_values have shape " + s + "; this model takes (batch, " + config.numChannels()
                            + ", " + config.imageSize() + ", " + config.imageSize() + ")");
        }
        NDArray grid = f.outputs("projection", inputs).head();
        Shape g = grid.getShape();
        return new NDList(grid.reshape(g.get(0), g.get(1), g.get(2) * g.get(3)).transpose(0, 2, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numPatches(), config.hiddenSize())};
    }
}
