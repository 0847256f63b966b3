package dev.mhc.core.train;

import ai.djl.ndarray.NDManager;

/** Examples addressed by index, turned into batches on demand (in the step's own manager). */
public interface Dataset {

    int size();

    /** @return the examples at {@code indices} as one batch, created in {@code manager} */
    Batch batch(NDManager manager, int[] indices);
}
