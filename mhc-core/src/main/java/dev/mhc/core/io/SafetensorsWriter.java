package dev.mhc.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes safetensors files the way Hugging Face does: header in the caller's order, contiguous
 * data, header padded with spaces to a multiple of 8 bytes.
 *
 * <p>Writes are atomic: data goes to a temporary file in the target's directory, is fsynced and
 * then renamed over the target, so a crash or error never leaves a half-written checkpoint and an
 * existing file stays untouched unless the new one is complete.
 */
public final class SafetensorsWriter {
    private static final String METADATA_KEY = "__metadata__";

    private SafetensorsWriter() {}

    /**
     * Writes NDArrays, each in the safetensors dtype matching its DJL type (FLOAT32, FLOAT16,
     * FLOAT64, INT64, INT32, INT16, INT8, UINT8, BOOLEAN). Iteration order of {@code tensors} is the
     * header order, so pass a {@link java.util.LinkedHashMap} for a stable file.
     *
     * @param metadata string pairs stored as {@code __metadata__}; may be null or empty
     * @throws IllegalArgumentException for BFLOAT16 or other unsupported types, before anything is written
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(tensors, "tensors");
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray array = Objects.requireNonNull(e.getValue(), () -> "array for '" + e.getKey() + "'");
            TensorDType dtype = dtypeOf(e.getKey(), array.getDataType());
            long[] shape = array.getShape().getShape();
            entries.add(new Entry(e.getKey(), dtype, shape, () -> littleEndian(array, dtype)));
        }
        writeEntries(file, entries, metadata);
    }

    /**
     * Writes F32 tensors from plain arrays, for callers without an NDManager.
     *
     * @param data tensor data, row-major, in header order
     * @param shapes the shape of each tensor in {@code data}; element counts must match
     */
    public static void writeFloats(Path file, Map<String, float[]> data, Map<String, long[]> shapes,
            Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shapes, "shapes");
        for (String name : shapes.keySet()) {
            if (!data.containsKey(name)) {
                throw new IllegalArgumentException("shape given for '" + name + "' but no data");
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, float[]> e : data.entrySet()) {
            String name = e.getKey();
            float[] values = Objects.requireNonNull(e.getValue(), () -> "data for '" + name + "'");
            long[] shape = shapes.get(name);
            if (shape == null) {
                throw new IllegalArgumentException("no shape given for '" + name + "'");
            }
            Entry entry = new Entry(name, TensorDType.F32, shape.clone(), () -> {
                ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(values);
                return b;
            });
            if (entry.numel() != values.length) {
                throw new IllegalArgumentException("'" + name + "' has " + values.length + " values but shape "
                        + Arrays.toString(shape) + " needs " + entry.numel());
            }
            entries.add(entry);
        }
        writeEntries(file, entries, metadata);
    }

    /** One tensor to write; {@code data} produces its little-endian bytes only when needed. */
    private record Entry(String name, TensorDType dtype, long[] shape, Supplier<ByteBuffer> data) {
        Entry {
            Objects.requireNonNull(name, "tensor name");
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved and cannot name a tensor");
            }
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("'" + name + "' has negative dimension in "
                            + Arrays.toString(shape));
                }
            }
        }

        long numel() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        long byteSize() {
            return Math.multiplyExact(numel(), dtype.byteSize());
        }
    }

    private static void writeEntries(Path file, List<Entry> entries, Map<String, String> metadata)
            throws IOException {
        ByteBuffer header = header(entries, metadata);
        AtomicFiles.write(file, channel -> {
            writeFully(channel, header);
            for (Entry e : entries) {
                ByteBuffer data = e.data().get();
                if (data.remaining() != e.byteSize()) {
                    throw new IllegalStateException("'" + e.name() + "' produced " + data.remaining()
                            + " bytes of data, expected " + e.byteSize());
                }
                writeFully(channel, data);
            }
        });
    }

    /** The 8-byte length prefix plus the JSON header, space-padded to a multiple of 8 bytes. */
    private static ByteBuffer header(List<Entry> entries, Map<String, String> metadata) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach((k, v) -> meta.put(Objects.requireNonNull(k, "metadata key"),
                    Objects.requireNonNull(v, () -> "metadata value of '" + k + "'")));
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode node = root.putObject(e.name());
            node.put("dtype", e.dtype().specName());
            ArrayNode shape = node.putArray("shape");
            Arrays.stream(e.shape()).forEach(shape::add);
            long end = Math.addExact(offset, e.byteSize());
            node.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = Json.MAPPER.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8;
        if (padded > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header would be " + padded + " bytes, over the "
                    + SafetensorsHeader.MAX_HEADER_BYTES + "-byte limit readers enforce; use fewer tensors per file");
        }
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.flip();
    }

    private static TensorDType dtypeOf(String name, DataType type) {
        return switch (type) {
            case FLOAT32 -> TensorDType.F32;
            case FLOAT16 -> TensorDType.F16;
            case FLOAT64 -> TensorDType.F64;
            case INT64 -> TensorDType.I64;
            case INT32 -> TensorDType.I32;
            case INT16 -> TensorDType.I16;
            case INT8 -> TensorDType.I8;
            case UINT8 -> TensorDType.U8;
            case BOOLEAN -> TensorDType.BOOL;
            case BFLOAT16 -> throw new IllegalArgumentException("'" + name + "' is BFLOAT16, which DJL's PyTorch"
                    + " engine cannot handle safely; keep such weights as FLOAT32 (or FLOAT16) arrays");
            default -> throw new IllegalArgumentException("'" + name + "' has data type " + type
                    + ", which safetensors writing does not support; convert it to FLOAT32, FLOAT16, FLOAT64,"
                    + " INT64, INT32, INT16, INT8, UINT8 or BOOLEAN first");
        };
    }

    /** The array's bytes in little-endian order, whatever order the engine hands them out in. */
    private static ByteBuffer littleEndian(NDArray array, TensorDType dtype) {
        ByteBuffer b = array.toByteBuffer();
        int width = dtype.byteSize();
        if (width == 1 || b.order() == ByteOrder.LITTLE_ENDIAN) {
            return b;
        }
        ByteBuffer out = ByteBuffer.allocate(b.remaining());
        for (int i = b.position(); i < b.limit(); i += width) {
            for (int j = width - 1; j >= 0; j--) {
                out.put(b.get(i + j));
            }
        }
        return out.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
