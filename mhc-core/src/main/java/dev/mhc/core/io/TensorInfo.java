package dev.mhc.core.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One header entry: where a tensor's bytes live and how to interpret them.
 *
 * <p>{@code begin} and {@code end} are byte offsets relative to the start of the data section.
 * The shape array is copied in and out so the record stays immutable.
 *
 * @param name the tensor name
 * @param dtype the element type
 * @param shape the dimensions, row-major; empty for a scalar
 * @param begin first byte (inclusive) within the data section
 * @param end last byte (exclusive) within the data section
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long begin, long end) {

    /** Copies {@code shape} so later changes by the caller cannot alter this record. */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** Returns a copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Length of the tensor's data in bytes. */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype.specName() + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
