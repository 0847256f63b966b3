package dev.mhc.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;
import java.util.function.IntFunction;

/**
 * embeddings.dense, then layer.0..n-1, like an HF encoder. Inputs [x]; outputs [hidden, the
 * last layer's second output]. Initialised with a fixed seed, so two instances built the same
 * way hold the same weights.
 */
public class ToyEncoder extends Module {

    public static final int HIDDEN = 8;

    private final ModuleList layers;

    public ToyEncoder(int layerCount, IntFunction<Block> layer) {
        Module embeddings = new Embeddings();
        register("embeddings", embeddings);
        layers = register("layer", new ModuleList());
        for (int i = 0; i < layerCount; i++) {
            layers.add(layer.apply(i));
        }
    }

    /** A stack of {@link ToyLayer}s, initialised for inputs of shape (2, 5, HIDDEN). */
    public static ToyEncoder of(int layerCount, NDManager manager) {
        return of(layerCount, i -> new ToyLayer(HIDDEN), manager);
    }

    public static ToyEncoder of(int layerCount, IntFunction<Block> layer, NDManager manager) {
        ToyEncoder model = new ToyEncoder(layerCount, layer);
        manager.getEngine().setRandomSeed(1234);
        model.initialize(manager, DataType.FLOAT32, new Shape(2, 5, HIDDEN));
        return model;
    }

    /** A deterministic input of shape (2, 5, HIDDEN). */
    public static NDArray input(NDManager manager, int seed) {
        float[] data = new float[2 * 5 * HIDDEN];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return manager.create(data, new Shape(2, 5, HIDDEN));
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = f.outputs("embeddings", inputs).head();
        NDArray mask = x.getManager().ones(new Shape(x.getShape().get(0), x.getShape().get(1), 1));
        NDList out = new NDList(x, mask);
        for (Block layer : layers.blocks()) {
            out = f.run(layer, new NDList(out.get(0), mask));
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], new Shape(inputShapes[0].get(0), inputShapes[0].get(1), 1)};
    }

    /** A linear embedding of the input features. */
    public static final class Embeddings extends Module {

        Embeddings() {
            register("dense", Linear.builder().setUnits(HIDDEN).build());
        }

        @Override
        protected NDList forwardModule(Forward f, NDList inputs) {
            return f.outputs("dense", inputs.head());
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }
}
