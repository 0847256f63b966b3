package dev.mhc.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * One open safetensors file.
 *
 * <p>The header is validated completely by {@link #open}; tensor data is then memory-mapped one
 * tensor at a time and copied out, so files larger than 2 GB work as long as each tensor is
 * smaller than 2 GB, and nothing stays mapped between reads.
 */
public final class SafetensorsFile implements TensorSource {
    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final List<String> names;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.names = List.copyOf(header.tensors().keySet());
    }

    /**
     * Opens and validates {@code path}.
     *
     * @throws SafetensorsFormatException if the file is not a well-formed safetensors file
     * @throws IOException if it cannot be read
     */
    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(InputFiles.regular(path, "safetensors file"), StandardOpenOption.READ);
        try {
            return new SafetensorsFile(path, channel, SafetensorsHeader.read(channel, path.toString()));
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The path this file was opened from. */
    public Path path() {
        return path;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw Messages.unknownName(path, name, names);
        }
        return info;
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public float[] readFloats(String name) throws IOException {
        TensorInfo t = info(name);
        switch (t.dtype()) {
            case F32 -> {
                float[] out = new float[elements(t)];
                map(t).asFloatBuffer().get(out);
                return out;
            }
            case F16, BF16 -> {
                return widenHalf(t);
            }
            case F64 -> throw wrongType(t, "readFloats", "narrowing F64 to float would lose precision;"
                    + " use readDoubles, or load which keeps FLOAT64");
            default -> throw wrongType(t, "readFloats", "use readLongs for integer and bool tensors");
        }
    }

    @Override
    public double[] readDoubles(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.dtype() == TensorDType.F64) {
            double[] out = new double[elements(t)];
            map(t).asDoubleBuffer().get(out);
            return out;
        }
        if (!isFloat(t.dtype())) {
            throw wrongType(t, "readDoubles", "use readLongs for integer and bool tensors");
        }
        float[] floats = readFloats(name);
        double[] out = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    @Override
    public long[] readLongs(String name) throws IOException {
        TensorInfo t = info(name);
        if (isFloat(t.dtype())) {
            throw wrongType(t, "readLongs", "use readFloats or readDoubles for floating-point tensors");
        }
        long[] out = new long[elements(t)];
        ByteBuffer b = map(t);
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t.dtype()) {
                case I64 -> b.getLong(i * 8);
                case I32 -> b.getInt(i * 4);
                case I16 -> b.getShort(i * 2);
                case I8 -> b.get(i);
                case U8 -> b.get(i) & 0xff;
                case BOOL -> b.get(i) != 0 ? 1 : 0;
                default -> throw new AssertionError(t.dtype());
            };
        }
        return out;
    }

    @Override
    public NDArray load(String name, NDManager manager) throws IOException {
        TensorInfo t = info(name);
        Shape shape = new Shape(t.shape());
        if (t.dtype() == TensorDType.F32 && copiesInPlace(manager) && t.byteSize() > 0) {
            return readIntoArray(t, shape, manager);
        }
        return switch (t.dtype()) {
            case F32, F16, BF16 -> manager.create(readFloats(name), shape);
            case F64 -> manager.create(readDoubles(name), shape);
            case I64, I32, I16 -> manager.create(readLongs(name), shape);
            case I8 -> manager.create(readBytes(t), shape, DataType.INT8);
            case U8 -> manager.create(readBytes(t), shape, DataType.UINT8);
            case BOOL -> manager.create(readBytes(t), shape, DataType.BOOLEAN);
        };
    }

    /**
     * One copy, by the kernel, from the file into an array libtorch allocated, through a view of its
     * memory: no Java array, no second buffer, no mapping to fault in page by page.
     */
    private NDArray readIntoArray(TensorInfo t, Shape shape, NDManager manager) throws IOException {
        checkReadable(t);
        NDArray array = manager.create(shape, DataType.FLOAT32);
        try {
            ByteBuffer view = array.toByteBuffer(true);
            long position = header.dataStart() + t.begin();
            while (view.hasRemaining()) {
                if (channel.read(view, position + view.position()) < 0) {
                    throw truncatedSinceOpened(t);
                }
            }
            return array;
        } catch (IOException | RuntimeException e) {
            array.close();
            throw e;
        }
    }

    /** Whether {@code toByteBuffer(true)} is a view of the array's memory: PyTorch on the CPU. */
    private static boolean copiesInPlace(NDManager manager) {
        return "PyTorch".equals(manager.getEngine().getEngineName()) && !manager.getDevice().isGpu()
                && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + names.size() + " tensors]";
    }

    private static boolean isFloat(TensorDType d) {
        return d == TensorDType.F64 || d == TensorDType.F32 || d == TensorDType.F16 || d == TensorDType.BF16;
    }

    private float[] widenHalf(TensorInfo t) throws IOException {
        float[] out = new float[elements(t)];
        ShortBuffer s = map(t).asShortBuffer();
        boolean bf16 = t.dtype() == TensorDType.BF16;
        for (int i = 0; i < out.length; i++) {
            out[i] = bf16 ? HalfFloat.bf16ToF32(s.get(i)) : HalfFloat.f16ToF32(s.get(i));
        }
        return out;
    }

    private ByteBuffer readBytes(TensorInfo t) throws IOException {
        ByteBuffer mapped = map(t);
        ByteBuffer copy = ByteBuffer.allocate(mapped.remaining());
        return copy.put(mapped).flip();
    }

    /** Element count as an int; only called after {@link #map}-able size is known to be < 2 GB. */
    private int elements(TensorInfo t) throws IOException {
        checkReadable(t);
        return (int) t.numel();
    }

    private void checkReadable(TensorInfo t) throws IOException {
        if (t.byteSize() > Integer.MAX_VALUE) {
            throw new IOException(path + ": tensor '" + t.name() + "' is " + t.byteSize()
                    + " bytes; tensors of 2 GB or more cannot be read into a Java array"
                    + " (re-save the checkpoint with smaller tensors)");
        }
    }

    /** Maps exactly the tensor's bytes, little-endian; the mapping is released by GC after the copy. */
    private ByteBuffer map(TensorInfo t) throws IOException {
        checkReadable(t);
        if (!channel.isOpen()) {
            throw new IllegalStateException(path + " is closed; open it again to read '" + t.name() + "'");
        }
        if (t.byteSize() == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        long position = header.dataStart() + t.begin();
        if (channel.size() < position + t.byteSize()) {
            throw truncatedSinceOpened(t);
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, position, t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private SafetensorsFormatException truncatedSinceOpened(TensorInfo t) throws IOException {
        return new SafetensorsFormatException(path + ": file is now " + channel.size() + " bytes, too short for"
                + " tensor '" + t.name() + "'; it was truncated after being opened (do not overwrite a checkpoint"
                + " while it is in use)");
    }

    private IllegalArgumentException wrongType(TensorInfo t, String method, String hint) {
        return new IllegalArgumentException(path + ": " + method + " cannot read tensor '" + t.name()
                + "' of dtype " + t.dtype().specName() + "; " + hint);
    }
}
