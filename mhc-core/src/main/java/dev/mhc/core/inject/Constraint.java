package dev.mhc.core.inject;

/** How a layer's learnable weights become its mixing coefficients; see {@link Mixing}. */
public enum Constraint {
    /** Softmax over the available entries, initialised to 1 - epsilon on the current input. */
    IDENTITY,
    /** Softmax with a temperature, initialised uniform or as {@link #IDENTITY}. */
    SIMPLEX,
    /** Free real weights (HC / DenseFormer style), initialised to e_0: an exact identity. */
    NONE
}
