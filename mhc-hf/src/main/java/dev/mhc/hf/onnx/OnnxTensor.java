package dev.mhc.hf.onnx;

import com.google.protobuf.ByteString;
import dev.mhc.core.io.HalfFloat;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@code TensorProto}: an initializer or a {@code Constant} node's value.
 *
 * <p>The data stays as the exporter wrote it (raw little-endian bytes, or one of the typed
 * repeated fields) and is decoded only when read, so an export may carry tensors of types we do
 * not support as long as nobody needs them; a read of such a tensor is the error.
 */
public final class OnnxTensor {
    private final String source;
    private final String name;
    private final int dataType;
    private final long[] dims;
    private final Data data;

    /** Where the elements are; exactly one of the array fields is set, or none for an empty tensor. */
    record Data(ByteString raw, float[] floats, int[] int32s, long[] int64s, String externalLocation,
            String unsupportedField) {}

    OnnxTensor(String source, String name, int dataType, long[] dims, Data data) {
        this.source = Objects.requireNonNull(source, "source");
        this.name = Objects.requireNonNull(name, "name");
        this.dataType = dataType;
        this.dims = dims.clone();
        this.data = Objects.requireNonNull(data, "data");
    }

    /** The tensor name; empty for an unnamed attribute tensor. */
    public String name() {
        return name;
    }

    /** The {@link OnnxDataType} code. */
    public int dataType() {
        return dataType;
    }

    /** A copy of the dimensions; empty for a scalar. */
    public long[] dims() {
        return dims.clone();
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public long numel() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Whether the data lives in a file beside the model rather than in it. */
    public boolean isExternal() {
        return data.externalLocation() != null;
    }

    /** Reads a FLOAT tensor, or a FLOAT16 one widened exactly to float. */
    public float[] toFloats() throws OnnxFormatException {
        int n = checkedCount();
        if (dataType == OnnxDataType.FLOAT) {
            if (data.raw() != null) {
                float[] out = new float[n];
                rawBuffer(4L * n).asFloatBuffer().get(out);
                return out;
            }
            return typed(data.floats(), n, "float_data");
        }
        if (dataType == OnnxDataType.FLOAT16) {
            float[] out = new float[n];
            if (data.raw() != null) {
                ByteBuffer b = rawBuffer(2L * n);
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloat.f16ToF32(b.getShort(2 * i));
                }
            } else {
                // int32_data carries each half's bits in the low 16 bits of one element
                int[] bits = typed(data.int32s(), n, "int32_data");
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloat.f16ToF32((short) bits[i]);
                }
            }
            return out;
        }
        throw wrongType("toFloats", "FLOAT or FLOAT16");
    }

    /** Reads an INT64 tensor, or an INT32 one widened to long. */
    public long[] toLongs() throws OnnxFormatException {
        int n = checkedCount();
        long[] out = new long[n];
        if (dataType == OnnxDataType.INT64) {
            if (data.raw() != null) {
                rawBuffer(8L * n).asLongBuffer().get(out);
                return out;
            }
            return typed(data.int64s(), n, "int64_data");
        }
        if (dataType == OnnxDataType.INT32) {
            if (data.raw() != null) {
                ByteBuffer b = rawBuffer(4L * n);
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(4 * i);
                }
            } else {
                int[] ints = typed(data.int32s(), n, "int32_data");
                for (int i = 0; i < n; i++) {
                    out[i] = ints[i];
                }
            }
            return out;
        }
        throw wrongType("toLongs", "INT64 or INT32");
    }

    @Override
    public String toString() {
        return "'" + name + "' " + OnnxDataType.name(dataType) + Arrays.toString(dims)
                + (isExternal() ? " (external)" : "");
    }

    private int checkedCount() throws OnnxFormatException {
        if (isExternal()) {
            throw new OnnxFormatException(source + ": tensor '" + name + "' keeps its data in the external file '"
                    + data.externalLocation() + "', which this reader does not follow; re-export the model with"
                    + " all weights inside the .onnx file (e.g. onnx.save_model(..., save_as_external_data=False))");
        }
        if (data.unsupportedField() != null) {
            throw new OnnxFormatException(source + ": tensor '" + name + "' stores its data in "
                    + data.unsupportedField() + ", which this reader does not support; expected raw_data,"
                    + " float_data, int32_data or int64_data");
        }
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new OnnxFormatException(source + ": tensor '" + name + "' has " + n
                    + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    private ByteBuffer rawBuffer(long expectedBytes) throws OnnxFormatException {
        if (data.raw().size() != expectedBytes) {
            throw new OnnxFormatException(source + ": tensor '" + name + "' " + OnnxDataType.name(dataType)
                    + Arrays.toString(dims) + " has " + data.raw().size() + " bytes of raw_data, expected "
                    + expectedBytes + "; the file is corrupt, re-export it");
        }
        return data.raw().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private <A> A typed(A array, int n, String field) throws OnnxFormatException {
        int length = array == null ? 0 : Array.getLength(array);
        if (length != n) {
            throw new OnnxFormatException(source + ": tensor '" + name + "' " + OnnxDataType.name(dataType)
                    + Arrays.toString(dims) + " has " + length + " values in " + field + ", expected " + n
                    + "; the file is corrupt, re-export it");
        }
        return array;
    }

    private OnnxFormatException wrongType(String method, String expected) {
        return new OnnxFormatException(source + ": " + method + " cannot read tensor '" + name + "' of type "
                + OnnxDataType.name(dataType) + "; it reads " + expected
                + " (convert the tensor in the export, or read it with the other method)");
    }
}
