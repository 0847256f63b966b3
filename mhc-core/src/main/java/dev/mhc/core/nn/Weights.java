package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import dev.mhc.core.module.ModuleTree;

/**
 * Parameter factories with Hugging Face's default initialisation (normal(0, 0.02) weights, zero
 * biases, unit norm scales), for this package's blocks and for bare parameters of model blocks
 * (ViT's {@code cls_token}); checkpoints overwrite them when loaded.
 */
public final class Weights {

    public static final float INIT_STD = 0.02f;

    private Weights() {}

    /**
     * Gives every parameter of the tree that holds no array one from its own initialiser: the
     * random initialisation of a model whose parameter shapes are known at construction (as with
     * this package's blocks), without DJL's shape inference from inputs.
     */
    public static void initialize(Block model, NDManager manager) {
        for (Parameter parameter : ModuleTree.parameters(model).values()) {
            if (!parameter.isInitialized()) {
                parameter.initialize(manager, DataType.FLOAT32);
            }
        }
    }

    public static Parameter normal(String name, Shape shape) {
        return build(name, shape, new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
    }

    public static Parameter zeros(String name, Shape shape) {
        return build(name, shape, new ConstantInitializer(0f), Parameter.Type.BIAS);
    }

    public static Parameter ones(String name, Shape shape) {
        return build(name, shape, new ConstantInitializer(1f), Parameter.Type.GAMMA);
    }

    private static Parameter build(String name, Shape shape, Initializer init, Parameter.Type type) {
        return Parameter.builder().setName(name).setType(type).optShape(shape).optInitializer(init).build();
    }

    /**
     * Writes {@code values} into {@code target} in place (row-major, as many as it holds). Unlike
     * {@code NDArray.set(float[])}, this does not make libtorch print its "AutoNonVariableTypeMode is
     * deprecated" warning on the console.
     */
    public static void assign(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException(values.length + " values for an array of shape " + target.getShape());
        }
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            target.set(new NDIndex("..."), source);
        }
    }
}
