package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;

/** torch's functional dropout: active only while training and with a positive rate. */
public final class Dropouts {

    private Dropouts() {}

    public static NDArray apply(NDArray x, double rate, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        return Dropout.dropout(x, (float) rate, true).head();
    }
}
