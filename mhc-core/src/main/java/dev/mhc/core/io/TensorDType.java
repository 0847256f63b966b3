package dev.mhc.core.io;

import java.util.Optional;

/** The safetensors element types this package understands, with their on-disk size. */
public enum TensorDType {
    F64("F64", 8),
    F32("F32", 4),
    F16("F16", 2),
    BF16("BF16", 2),
    I64("I64", 8),
    I32("I32", 4),
    I16("I16", 2),
    I8("I8", 1),
    U8("U8", 1),
    BOOL("BOOL", 1);

    private final String specName;
    private final int byteSize;

    TensorDType(String specName, int byteSize) {
        this.specName = specName;
        this.byteSize = byteSize;
    }

    /** The name used in the header's {@code "dtype"} field. */
    public String specName() {
        return specName;
    }

    /** Bytes per element on disk. */
    public int byteSize() {
        return byteSize;
    }

    /** Looks up a header {@code "dtype"} value; empty for types this package does not support. */
    public static Optional<TensorDType> fromSpecName(String name) {
        for (TensorDType t : values()) {
            if (t.specName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
