package dev.mhc.core.testing;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
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
    protected NDList forwardModule(Forward f, NDList inputs) {
        return new NDList(inputs.head().mul(f.value(weight, inputs.head())));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
