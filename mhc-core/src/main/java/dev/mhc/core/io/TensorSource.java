package dev.mhc.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Named tensors readable on demand, so model loaders need not care whether weights come from one
 * safetensors file or from several shards.
 *
 * <p>Reads of a name not in {@link #names()} throw {@link IllegalArgumentException}; reads with a
 * method that would lose information for the stored dtype also throw it, naming the right method.
 */
public interface TensorSource extends AutoCloseable {

    /** Tensor names in file (or index) order. */
    List<String> names();

    /** Whether a tensor of that name exists. */
    boolean contains(String name);

    /** Header entry of a tensor. */
    TensorInfo info(String name);

    /** Free-form string metadata ({@code __metadata__}, or the index's {@code metadata}). */
    Map<String, String> metadata();

    /** Reads an F32 tensor, widening F16 and BF16; refuses F64 and integer types. */
    float[] readFloats(String name) throws IOException;

    /** Reads an F64 tensor, widening F32, F16 and BF16; refuses integer types. */
    double[] readDoubles(String name) throws IOException;

    /** Reads an I64 tensor, widening I32, I16, I8, U8 and BOOL (as 0/1); refuses float types. */
    long[] readLongs(String name) throws IOException;

    /**
     * Loads a tensor into {@code manager}: FLOAT32 for F32/F16/BF16, INT64 for I64/I32/I16,
     * FLOAT64 for F64, INT8 for I8, UINT8 for U8 and BOOLEAN for BOOL. A BFLOAT16 array is never
     * created because the PyTorch engine aborts the JVM on it.
     */
    NDArray load(String name, NDManager manager) throws IOException;

    @Override
    void close() throws IOException;
}
