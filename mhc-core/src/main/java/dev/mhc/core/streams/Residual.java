package dev.mhc.core.streams;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * How a layer's residual connection {@code x + F(x)} is made. A layer that implements {@link
 * ResidualBranches} asks this for each of its branches in order; {@link #PLAIN} is the ordinary
 * add, hyper-connections replace it.
 */
@FunctionalInterface
public interface Residual {

    /** The plain residual connection: x + F(x). */
    Residual PLAIN = (branch, x, fn) -> x.add(fn.apply(x));

    /**
     * @param branch the branch's index in the layer (0: attention, 1: MLP)
     * @param x the hidden state the layer holds before this branch
     * @param fn the branch F, normalisation included
     * @return the hidden state after the branch
     */
    NDArray add(int branch, NDArray x, UnaryOperator<NDArray> fn);
}
