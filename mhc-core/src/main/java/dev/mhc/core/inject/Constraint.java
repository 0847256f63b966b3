package dev.mhc.core.inject;

/** How a layer's learnable weights become its mixing coefficients; see {@link Mixing}. */
public enum Constraint {
    /** Softmax over the available entries, initialised to 1 - epsilon on the current input. */
    IDENTITY,
    /** Softmax with a temperature, initialised uniform or as {@link #IDENTITY}. */
    SIMPLEX,
    /** Free real weights (HC / DenseFormer style), initialised to e_0: an exact identity. */
    NONE,
    /**
     * The card's matrix mode: an H x H weight matrix per layer whose K x K block over the available
     * entries is Sinkhorn-projected to a doubly stochastic mix of the history slots; the layer takes
     * the mixed state of its newest slot (row 0). Initialised as {@link #IDENTITY}.
     */
    MATRIX;

    /** @return the constraint named {@code name} (any case), or an error listing the names */
    public static Constraint parse(String name) {
        for (Constraint c : values()) {
            if (c.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("constraint \"" + name + "\" is not one of identity, simplex, none, matrix");
    }
}
