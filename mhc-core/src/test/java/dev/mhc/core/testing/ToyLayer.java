package dev.mhc.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/**
 * A residual layer y = x + tanh(dense(x)) * mask that, like an HF layer, takes an extra input
 * (a mask) and returns an extra output (here the mask it saw), to check pass-through.
 */
public class ToyLayer extends Module {

    public ToyLayer(int hidden) {
        register("dense", Linear.builder().setUnits(hidden).build());
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray update = f.call("dense", x).tanh();
        return new NDList(x.add(update.mul(mask)), mask);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
