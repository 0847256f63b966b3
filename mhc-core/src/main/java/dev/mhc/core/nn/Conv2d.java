package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/** torch's {@code nn.Conv2d} without padding: weight [out, in, k, k], bias [out], NCHW input. */
public class Conv2d extends Module {

    private final long outChannels;
    private final long kernel;
    private final long stride;
    private final Parameter weight;
    private final Parameter bias;

    public Conv2d(long inChannels, long outChannels, long kernel, long stride) {
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.weight = addParameter(Weights.normal("weight", new Shape(outChannels, inChannels, kernel, kernel)));
        this.bias = addParameter(Weights.zeros("bias", new Shape(outChannels)));
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        return ai.djl.nn.convolutional.Conv2d.conv2d(
                x,
                f.value(weight, x),
                f.value(bias, x),
                new Shape(stride, stride),
                new Shape(0, 0),
                new Shape(1, 1),
                1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long h = (in.get(2) - kernel) / stride + 1;
        long w = (in.get(3) - kernel) / stride + 1;
        return new Shape[] {new Shape(in.get(0), outChannels, h, w)};
    }
}
