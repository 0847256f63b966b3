package dev.mhc.core.testing;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;

/** layer.0..n-1 of {@link ScaleLayer}s applied in order: x_{i+1} = w_i x_i. */
public class ScaleStack extends Module {

    private final ModuleList layers;

    public ScaleStack(NDManager manager, float... weights) {
        layers = register("layer", new ModuleList());
        for (float w : weights) {
            layers.add(new ScaleLayer(manager, w));
        }
        inputShapes = new Shape[] {new Shape(1)};
    }

    public ScaleLayer layer(int i) {
        Block block = dev.mhc.core.module.ModuleTree.get(this, "layer." + i);
        return (ScaleLayer) (block instanceof dev.mhc.core.module.Wrapper w ? w.wrapped() : block);
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDList x = inputs;
        for (Block layer : layers.blocks()) {
            x = f.run(layer, x);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
