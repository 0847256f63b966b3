package dev.mhc.hf.onnx;

/**
 * The {@code TensorProto.DataType} codes of onnx.proto, kept as plain ints so an unknown code from
 * a newer exporter can still be named in an error instead of failing the whole read.
 */
public final class OnnxDataType {
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;
    public static final int BFLOAT16 = 16;

    private static final String[] NAMES = {
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
        "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16",
        "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1",
        "FLOAT8E8M0", "UINT2", "INT2"
    };

    private OnnxDataType() {}

    /** The onnx.proto name of a data-type code, e.g. {@code FLOAT16} for 10. */
    public static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "code " + code;
    }
}
