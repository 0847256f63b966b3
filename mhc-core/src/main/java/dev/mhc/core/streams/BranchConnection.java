package dev.mhc.core.streams;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.Scalars;
import java.util.function.UnaryOperator;

/**
 * The connection of one residual branch across n streams: it reads the branch's input as a
 * weighted sum of the streams, runs the branch, and writes back a mix of the old streams plus a
 * weighted copy of the branch's output. Holds the branch's own parameters; runs only through its
 * {@link HyperConnectedLayer}.
 */
abstract class BranchConnection extends Module {

    static final float NORM_EPS = 1e-6f;

    protected final int n;

    BranchConnection(int n) {
        this.n = n;
    }

    /**
     * @param streams [batch, tokens, n, hidden]
     * @param branch F, normalisation included
     * @return the streams after the branch, same shape
     */
    abstract NDArray apply(Forward f, NDArray streams, UnaryOperator<NDArray> branch);

    /**
     * @return the n x n matrix that carries the streams past this branch, {@code H' = M H + ...},
     *     from the token-independent parameters (the dynamic parts add to it per token)
     */
    abstract double[][] residualMatrix();

    /** @return a 2-d parameter as rows */
    static double[][] rows(Parameter parameter) {
        float[] flat = parameter.getArray().toFloatArray();
        int n = (int) parameter.getArray().getShape().get(0);
        double[][] rows = new double[n][flat.length / n];
        for (int k = 0; k < flat.length; k++) {
            rows[k / rows[0].length][k % rows[0].length] = flat[k];
        }
        return rows;
    }

    /** A trainable parameter holding {@code initial}, trainable even when the base is frozen. */
    protected final Parameter parameter(String name, NDArray initial) {
        Parameter parameter = addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build());
        parameter.setArray(initial);
        parameter.freeze(false);
        return parameter;
    }

    /** x / sqrt(mean(x^2) + eps) over the last axis, without a learned scale. */
    static NDArray rmsNorm(NDArray x) {
        return x.mul(Scalars.pow(x.square().mean(new int[] {-1}, true).add(NORM_EPS), -0.5));
    }

    /** @return sum_j weights_j streams_j: weights [..., n] over streams [..., n, C] gives [..., C] */
    static NDArray read(NDArray weights, NDArray streams) {
        return streams.mul(weights.expandDims(-1)).sum(new int[] {-2});
    }

    /** @return weights_j y for every stream j: [..., n] and [..., C] give [..., n, C] */
    static NDArray write(NDArray weights, NDArray y) {
        return y.expandDims(-2).mul(weights.expandDims(-1));
    }

    @Override
    protected final NDList forwardModule(Forward f, NDList inputs) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " runs inside its HyperConnectedLayer, which hands it the streams");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
