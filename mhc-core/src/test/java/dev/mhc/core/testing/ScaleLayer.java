package dev.mhc.core.testing;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mhc.core.module.Module;

/** y = w * x with a scalar w: small enough to compute outputs and gradients by hand. */
public class ScaleLayer extends Module {

    private final Parameter weight;

    public ScaleLayer(NDManager manager, float w) {
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        weight.setArray(manager.create(new float[] {w}));
        weight.freeze(false);
        inputShapes = new Shape[] {new Shape(1)};
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(inputs.head().mul(ps.getValue(weight, inputs.head().getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
