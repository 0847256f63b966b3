package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic of an array with a number, safe under autograd. Use these instead of NDArray's
 * {@code mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)} and
 * {@code minimum(Number)} (a test fails the build on those).
 *
 * <p>Why: on the PyTorch engine (DJL 0.35.1) those methods wrap the number in a tensor that
 * borrows a Java direct buffer ({@code torch::from_blob}) and close it as soon as the op returns.
 * Autograd keeps that scalar for the backward pass ({@code mul}, {@code div}, {@code pow},
 * {@code maximum} and {@code minimum} all save their second operand), but once its handle is
 * closed the buffer belongs to the garbage collector: when a GC runs between forward and backward,
 * the gradient is computed from freed memory. That made training runs differ from one process to
 * the next and sometimes go NaN at the first step. The scalars made here are allocated by libtorch
 * ({@code torch::full}), so autograd's reference keeps them alive.
 */
public final class Scalars {

    private Scalars() {}

    /** @return a 0-d array of {@code x}'s manager, type and device, owned by libtorch */
    public static NDArray like(NDArray x, double value) {
        return x.getManager().full(new Shape(), (float) value, x.getDataType(), x.getDevice());
    }

    public static NDArray mul(NDArray x, double value) {
        return apply(x, value, NDArray::mul);
    }

    public static NDArray div(NDArray x, double value) {
        return apply(x, value, NDArray::div);
    }

    public static NDArray pow(NDArray x, double exponent) {
        return apply(x, exponent, NDArray::pow);
    }

    public static NDArray maximum(NDArray x, double value) {
        return apply(x, value, NDArray::maximum);
    }

    public static NDArray minimum(NDArray x, double value) {
        return apply(x, value, NDArray::minimum);
    }

    /** In place: {@code x *= value}. */
    public static NDArray muli(NDArray x, double value) {
        return apply(x, value, NDArray::muli);
    }

    private static NDArray apply(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray scalar = like(x, value)) {
            return op.apply(x, scalar);
        }
    }
}
