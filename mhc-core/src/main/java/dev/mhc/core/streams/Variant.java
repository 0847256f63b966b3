package dev.mhc.core.streams;

/** Which multi-stream connection a layer's residual branches get. */
public enum Variant {
    /** Hyper-connections with learned matrices only (Zhu et al., arXiv 2409.19606). */
    STATIC_HC,
    /** Hyper-connections whose matrices also depend on each token's streams. */
    DYNAMIC_HC,
    /** DeepSeek's manifold-constrained hyper-connections (arXiv 2512.24880), token-dependent. */
    MHC,
    /** mHC with its biases only: the same constraints, no token dependence. */
    STATIC_MHC;

    /** @return whether this is one of the mHC variants */
    public boolean manifold() {
        return this == MHC || this == STATIC_MHC;
    }

    /** @return whether the connection depends on each token's streams */
    public boolean dynamic() {
        return this == DYNAMIC_HC || this == MHC;
    }
}
