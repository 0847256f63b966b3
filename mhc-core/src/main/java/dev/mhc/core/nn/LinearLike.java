package dev.mhc.core.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/**
 * A dense projection, whatever its weight layout: torch's Linear ([out, in]) or HF's Conv1D
 * ([in, out]). What LoRA needs to wrap either one.
 */
public interface LinearLike extends Block {

    long inFeatures();

    long outFeatures();

    Parameter weight();

    /** @return the bias, or {@code null} */
    Parameter bias();

    /** @return whether the weight is stored [in, out] (Conv1D) rather than [out, in] */
    boolean weightTransposed();
}
