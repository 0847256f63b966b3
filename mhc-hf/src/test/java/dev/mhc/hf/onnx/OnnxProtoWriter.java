package dev.mhc.hf.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes small ONNX models with protobuf's wire-format writer, so tests can cover layouts and
 * data encodings that the one real export we ship does not use. Field numbers are onnx.proto's.
 */
final class OnnxProtoWriter {
    private OnnxProtoWriter() {}

    /** One protobuf message under construction. */
    static final class Msg {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Msg varint(int field, long value) {
            return io(() -> out.writeInt64(field, value));
        }

        Msg string(int field, String value) {
            return io(() -> out.writeString(field, value));
        }

        Msg bytes(int field, byte[] value) {
            return io(() -> out.writeByteArray(field, value));
        }

        Msg message(int field, Msg value) {
            return bytes(field, value.toByteArray());
        }

        Msg packedLongs(int field, long... values) {
            int size = 0;
            for (long v : values) {
                size += CodedOutputStream.computeInt64SizeNoTag(v);
            }
            int length = size;
            return io(() -> {
                out.writeUInt32NoTag(field << 3 | 2);
                out.writeUInt32NoTag(length);
                for (long v : values) {
                    out.writeInt64NoTag(v);
                }
            });
        }

        Msg packedInts(int field, int... values) {
            int size = 0;
            for (int v : values) {
                size += CodedOutputStream.computeInt32SizeNoTag(v);
            }
            int length = size;
            return io(() -> {
                out.writeUInt32NoTag(field << 3 | 2);
                out.writeUInt32NoTag(length);
                for (int v : values) {
                    out.writeInt32NoTag(v);
                }
            });
        }

        Msg packedFloats(int field, float... values) {
            return io(() -> {
                out.writeUInt32NoTag(field << 3 | 2);
                out.writeUInt32NoTag(4 * values.length);
                for (float v : values) {
                    out.writeFloatNoTag(v);
                }
            });
        }

        byte[] toByteArray() {
            io(out::flush);
            return bytes.toByteArray();
        }

        private Msg io(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** A TensorProto header: name (8), data_type (2), dims (1, unpacked as the torch exporter writes them). */
    static Msg tensor(String name, int dataType, long... dims) {
        Msg m = new Msg().string(8, name).varint(2, dataType);
        for (long d : dims) {
            m.varint(1, d);
        }
        return m;
    }

    /** A FLOAT tensor with its values in raw_data (9), little-endian. */
    static Msg floats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return tensor(name, OnnxDataType.FLOAT, dims).bytes(9, b.array());
    }

    /** A FLOAT16 tensor with its bits in raw_data. */
    static Msg halves(String name, long[] dims, short[] bits) {
        ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : bits) {
            b.putShort(v);
        }
        return tensor(name, OnnxDataType.FLOAT16, dims).bytes(9, b.array());
    }

    /** An INT64 tensor in int64_data (7), packed. */
    static Msg longs(String name, long[] dims, long[] values) {
        return tensor(name, OnnxDataType.INT64, dims).packedLongs(7, values);
    }

    /** An AttributeProto holding an int (3), type INT (20 = 2). */
    static Msg intAttribute(String name, long value) {
        return new Msg().string(1, name).varint(3, value).varint(20, 2);
    }

    /** An AttributeProto holding a tensor (5), type TENSOR (20 = 4). */
    static Msg tensorAttribute(String name, Msg tensor) {
        return new Msg().string(1, name).message(5, tensor).varint(20, 4);
    }

    /** A GraphProto under construction, and the ModelProto around it. */
    static final class Graph {
        private final Msg graph = new Msg().string(2, "test_graph");

        Graph node(String name, String opType, List<String> inputs, List<String> outputs, Msg... attributes) {
            Msg n = new Msg();
            inputs.forEach(i -> n.string(1, i));
            outputs.forEach(o -> n.string(2, o));
            n.string(3, name).string(4, opType);
            for (Msg a : attributes) {
                n.message(5, a);
            }
            graph.message(1, n);
            return this;
        }

        Graph initializer(Msg tensor) {
            graph.message(5, tensor);
            return this;
        }

        Graph input(String name) {
            graph.message(11, new Msg().string(1, name));
            return this;
        }

        Graph output(String name) {
            graph.message(12, new Msg().string(1, name));
            return this;
        }

        /** ir_version (1), producer_name (2), graph (7), opset_import (8) of the default domain. */
        byte[] model(long opset) {
            return new Msg().varint(1, 8).string(2, "test").message(7, graph)
                    .message(8, new Msg().string(1, "").varint(2, opset)).toByteArray();
        }
    }
}
