package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Activations;
import dev.mhc.core.nn.Linear;
import java.util.function.UnaryOperator;

/** The feed-forward expansion act(dense(x)), shared by BERT and ViT under their own names. */
public class Intermediate extends Module {

    private final UnaryOperator<NDArray> activation;
    private final int intermediateSize;

    public Intermediate(int hidden, int intermediateSize, String hiddenAct) {
        this.activation = Activations.named(hiddenAct);
        this.intermediateSize = intermediateSize;
        register("dense", new Linear(hidden, intermediateSize));
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray h = f.call("dense", inputs.head());
        return new NDList(activation.apply(h));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(intermediateSize)};
    }
}
