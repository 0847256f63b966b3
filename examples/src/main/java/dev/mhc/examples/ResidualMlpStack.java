package dev.mhc.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;

/**
 * A toy transformer-shaped stack built from {@link Module}s: {@code layer.0..n-1} of {@link
 * ResidualBlock} (x + fc2(gelu(fc1(x)))), the shape mHC targets in real models.
 */
public final class ResidualMlpStack extends Module {

    private final ModuleList layers;

    public ResidualMlpStack(int layerCount, int hidden) {
        layers = register("layer", new ModuleList());
        for (int i = 0; i < layerCount; i++) {
            layers.add(new ResidualBlock(hidden));
        }
    }

    /** Builds and initialises the stack with a fixed seed for inputs of shape (batch, hidden). */
    public static ResidualMlpStack create(NDManager manager, int layerCount, int hidden, int seed) {
        ResidualMlpStack stack = new ResidualMlpStack(layerCount, hidden);
        manager.getEngine().setRandomSeed(seed);
        stack.initialize(manager, DataType.FLOAT32, new Shape(1, hidden));
        return stack;
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

    /** One pre-activation residual MLP block. */
    public static final class ResidualBlock extends Module {

        ResidualBlock(int hidden) {
            register("fc1", Linear.builder().setUnits(2L * hidden).build());
            register("fc2", Linear.builder().setUnits(hidden).build());
        }

        @Override
        protected NDList forwardModule(Forward f, NDList inputs) {
            NDArray x = inputs.head();
            NDArray h = f.call("fc1", x);
            NDArray y = f.call("fc2", Activation.gelu(h));
            return new NDList(x.add(y));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
