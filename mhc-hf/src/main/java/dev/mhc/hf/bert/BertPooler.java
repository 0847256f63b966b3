package dev.mhc.hf.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Linear;

/** tanh(dense(first token's hidden state)). */
public class BertPooler extends Module {

    public BertPooler(int hiddenSize) {
        register("dense", new Linear(hiddenSize, hiddenSize));
    }

    @Override
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray first = inputs.head().get(new NDIndex(":, 0, :"));
        return new NDList(forwardChild("dense", ps, new NDList(first), training, params).head().tanh());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(2))};
    }
}
