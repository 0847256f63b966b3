package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;

/** The stack {@code layer.0..n-1} of {@link ViTLayer}s. */
public class ViTEncoder extends Module {

    private final ModuleList layers;

    public ViTEncoder(ViTConfig config) {
        layers = register("layer", new ModuleList());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new ViTLayer(config));
        }
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray hidden = inputs.head();
        for (Block layer : layers.blocks()) {
            hidden = f.runLayer(layer, new NDList(hidden));
        }
        return new NDList(hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
