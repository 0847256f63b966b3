package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Activations;
import dev.mhc.core.nn.Linear;
import java.util.function.UnaryOperator;

/** act(dense(first token's hidden state)): BERT's and ViT's pooler. */
public class Pooler extends Module {

    private final UnaryOperator<NDArray> activation;
    private final int outputSize;

    public Pooler(int hidden, int outputSize, String activation) {
        this.activation = Activations.named(activation);
        this.outputSize = outputSize;
        register("dense", new Linear(hidden, outputSize));
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray first = inputs.head().get(new NDIndex(":, 0, :"));
        return new NDList(activation.apply(f.call("dense", first)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputSize)};
    }
}
