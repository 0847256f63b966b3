package dev.mhc.hf.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.io.TensorDType;
import dev.mhc.core.io.TensorInfo;
import dev.mhc.core.io.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * F32 and I64 tensors held in Java arrays, for weights that did not come from a safetensors file
 * (an ONNX import) but must load through the same {@link TensorSource} path as those that did.
 *
 * <p>{@link TensorInfo#begin()} and {@code end()} are offsets into a notional concatenation of
 * the tensors in {@link #names()} order, so {@code byteSize()} is right. {@link #close} drops the
 * arrays.
 */
public final class InMemoryTensorSource implements TensorSource {
    private final String description;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private Map<String, Object> data = new LinkedHashMap<>();

    private InMemoryTensorSource(String description, Map<String, String> metadata) {
        this.description = description;
        this.metadata = Map.copyOf(metadata);
    }

    /** Collects tensors in the order they are added. */
    public static final class Builder {
        private final InMemoryTensorSource source;
        private long offset;

        /** {@code description} names the origin (e.g. the ONNX file) in error messages. */
        public Builder(String description, Map<String, String> metadata) {
            source = new InMemoryTensorSource(Objects.requireNonNull(description, "description"), metadata);
        }

        public Builder putFloats(String name, long[] shape, float[] values) {
            return put(name, TensorDType.F32, shape, values, values.length);
        }

        public Builder putLongs(String name, long[] shape, long[] values) {
            return put(name, TensorDType.I64, shape, values, values.length);
        }

        public InMemoryTensorSource build() {
            return source;
        }

        private Builder put(String name, TensorDType dtype, long[] shape, Object values, int length) {
            TensorInfo info = new TensorInfo(name, dtype, shape, offset, offset + (long) length * dtype.byteSize());
            if (info.numel() != length) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + " (" + info.numel() + " elements) but " + length + " values; pass a shape that matches");
            }
            if (source.infos.putIfAbsent(name, info) != null) {
                throw new IllegalArgumentException("tensor '" + name + "' was added twice; each name must be unique");
            }
            source.data.put(name, values);
            offset = info.end();
            return this;
        }
    }

    @Override
    public List<String> names() {
        return List.copyOf(infos.keySet());
    }

    @Override
    public boolean contains(String name) {
        return infos.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = infos.get(name);
        if (info == null) {
            throw unknown(name);
        }
        return info;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public float[] readFloats(String name) {
        return floats(name, "readFloats").clone();
    }

    @Override
    public double[] readDoubles(String name) {
        float[] f = floats(name, "readDoubles");
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @Override
    public long[] readLongs(String name) {
        Object values = values(name);
        if (!(values instanceof long[] longs)) {
            throw new IllegalArgumentException(description + ": readLongs cannot read tensor '" + name
                    + "' of dtype F32; use readFloats or readDoubles for floating-point tensors");
        }
        return longs.clone();
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        Object values = values(name);
        Shape shape = new Shape(infos.get(name).shape());
        return values instanceof float[] f ? manager.create(f, shape) : manager.create((long[]) values, shape);
    }

    @Override
    public void close() {
        data = Map.of();
    }

    @Override
    public String toString() {
        return "InMemoryTensorSource[" + description + ", " + infos.size() + " tensors]";
    }

    private float[] floats(String name, String method) {
        Object values = values(name);
        if (!(values instanceof float[] floats)) {
            throw new IllegalArgumentException(description + ": " + method + " cannot read tensor '" + name
                    + "' of dtype I64; use readLongs for integer tensors");
        }
        return floats;
    }

    private Object values(String name) {
        info(name);
        Object values = data.get(name);
        if (values == null) {
            throw new IllegalStateException(description + " is closed; import the weights again to read '" + name + "'");
        }
        return values;
    }

    private IllegalArgumentException unknown(String name) {
        // prefer names that differ only by a prefix, the usual cause of a miss
        LinkedHashSet<String> shown = new LinkedHashSet<>();
        for (String n : infos.keySet()) {
            if (shown.size() < 5 && (n.endsWith("." + name) || name.endsWith("." + n))) {
                shown.add(n);
            }
        }
        for (String n : infos.keySet()) {
            if (shown.size() >= 5) {
                break;
            }
            shown.add(n);
        }
        List<String> quoted = new ArrayList<>();
        shown.forEach(n -> quoted.add("'" + n + "'"));
        return new IllegalArgumentException(description + ": no tensor named '" + name + "'; it has " + infos.size()
                + " tensors, e.g. " + String.join(", ", quoted) + (infos.size() > shown.size() ? ", ..." : ""));
    }
}
