package dev.mhc.hf.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of an ONNX {@code ModelProto} that weight import needs, straight from the
 * protobuf wire format, so the project needs neither generated ONNX classes nor protoc.
 *
 * <p>Field numbers are those of onnx.proto; every other field is skipped. Embedded messages are
 * read within a pushed limit, so a field we skip can never desynchronise the rest.
 */
final class OnnxReader {
    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    // OperatorSetIdProto
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    // AttributeProto
    private static final int ATTR_NAME = 1;
    private static final int ATTR_I = 3;
    private static final int ATTR_T = 5;
    // ValueInfoProto; SparseTensorProto
    private static final int VALUE_INFO_NAME = 1;
    private static final int SPARSE_VALUES = 1;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_SEGMENT = 3;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT32_DATA = 5;
    private static final int TENSOR_STRING_DATA = 6;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DOUBLE_DATA = 10;
    private static final int TENSOR_UINT64_DATA = 11;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int DATA_LOCATION_EXTERNAL = 1;
    // StringStringEntryProto
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    private final String source;
    private final CodedInputStream in;

    private long irVersion;
    private String producerName = "";
    private String producerVersion = "";
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private boolean sawGraph;
    private String graphName = "";
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final List<String> sparseInitializers = new ArrayList<>();

    private OnnxReader(byte[] bytes, String source) {
        this.source = source;
        this.in = CodedInputStream.newInstance(bytes);
        // raw_data then shares the file's array instead of being copied once more
        this.in.enableAliasing(true);
    }

    static OnnxModel parse(byte[] bytes, String source) throws OnnxFormatException {
        OnnxReader r = new OnnxReader(bytes, source);
        try {
            r.readModel();
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(source + ": not a readable ONNX model (" + e.getMessage()
                    + "); expected a complete ONNX ModelProto file; check that the file is an .onnx export and"
                    + " was not truncated by an interrupted download or copy", e);
        } catch (IOException e) {
            throw new OnnxFormatException(source + ": cannot read ONNX model: " + e.getMessage(), e);
        }
        if (!r.sawGraph) {
            throw new OnnxFormatException(source + ": contains no ONNX graph (ModelProto field 7); expected an"
                    + " .onnx model export, got " + bytes.length + " bytes of something else");
        }
        return new OnnxModel(source, r.irVersion, r.producerName, r.producerVersion, r.opsets, r.graphName,
                r.nodes, r.initializers, r.inputs, r.outputs, r.sparseInitializers);
    }

    private void readModel() throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case MODEL_IR_VERSION -> irVersion = readVarint(tag);
                case MODEL_PRODUCER_NAME -> producerName = readString(tag);
                case MODEL_PRODUCER_VERSION -> producerVersion = readString(tag);
                case MODEL_OPSET_IMPORT -> readEmbedded(tag, this::readOpset);
                case MODEL_GRAPH -> {
                    readEmbedded(tag, this::readGraph);
                    sawGraph = true;
                }
                default -> in.skipField(tag);
            }
        }
    }

    private void readOpset() throws IOException {
        String domain = "";
        long version = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case OPSET_DOMAIN -> domain = readString(tag);
                case OPSET_VERSION -> version = readVarint(tag);
                default -> in.skipField(tag);
            }
        }
        opsets.put(domain, version);
    }

    private void readGraph() throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case GRAPH_NODE -> readEmbedded(tag, () -> nodes.add(readNode()));
                case GRAPH_NAME -> graphName = readString(tag);
                case GRAPH_INITIALIZER -> readEmbedded(tag, () -> {
                    OnnxTensor t = readTensor();
                    initializers.put(t.name(), t);
                });
                case GRAPH_INPUT -> readEmbedded(tag, () -> inputs.add(readValueInfoName()));
                case GRAPH_OUTPUT -> readEmbedded(tag, () -> outputs.add(readValueInfoName()));
                case GRAPH_SPARSE_INITIALIZER -> readEmbedded(tag, () -> sparseInitializers.add(readSparseName()));
                default -> in.skipField(tag);
            }
        }
    }

    private OnnxNode readNode() throws IOException {
        String name = "";
        String opType = "";
        String domain = "";
        List<String> nodeInputs = new ArrayList<>();
        List<String> nodeOutputs = new ArrayList<>();
        Map<String, OnnxTensor> tensors = new HashMap<>();
        Map<String, Long> ints = new HashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_INPUT -> nodeInputs.add(readString(tag));
                case NODE_OUTPUT -> nodeOutputs.add(readString(tag));
                case NODE_NAME -> name = readString(tag);
                case NODE_OP_TYPE -> opType = readString(tag);
                case NODE_DOMAIN -> domain = readString(tag);
                case NODE_ATTRIBUTE -> readEmbedded(tag, () -> readAttribute(tensors, ints));
                default -> in.skipField(tag);
            }
        }
        return new OnnxNode(name, opType, domain, nodeInputs, nodeOutputs, tensors, ints);
    }

    /** Keeps an attribute only if it holds a single tensor or a single integer. */
    private void readAttribute(Map<String, OnnxTensor> tensors, Map<String, Long> ints) throws IOException {
        String name = "";
        OnnxTensor tensor = null;
        Long integer = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case ATTR_NAME -> name = readString(tag);
                case ATTR_I -> integer = readVarint(tag);
                case ATTR_T -> {
                    OnnxTensor[] holder = new OnnxTensor[1];
                    readEmbedded(tag, () -> holder[0] = readTensor());
                    tensor = holder[0];
                }
                default -> in.skipField(tag);
            }
        }
        if (tensor != null) {
            tensors.put(name, tensor);
        }
        if (integer != null) {
            ints.put(name, integer);
        }
    }

    private String readValueInfoName() throws IOException {
        String name = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == VALUE_INFO_NAME) {
                name = readString(tag);
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    private String readSparseName() throws IOException {
        String name = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == SPARSE_VALUES) {
                OnnxTensor[] holder = new OnnxTensor[1];
                readEmbedded(tag, () -> holder[0] = readTensor());
                name = holder[0].name();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    private OnnxTensor readTensor() throws IOException {
        String name = "";
        int dataType = 0;
        LongList dims = new LongList();
        ByteString raw = null;
        FloatList floats = null;
        IntList int32s = null;
        LongList int64s = null;
        String location = null;
        boolean external = false;
        String unsupported = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TENSOR_DIMS -> readLongs(tag, dims);
                case TENSOR_DATA_TYPE -> dataType = (int) readVarint(tag);
                case TENSOR_NAME -> name = readString(tag);
                case TENSOR_RAW_DATA -> raw = readBytes(tag);
                case TENSOR_FLOAT_DATA -> readFloats(tag, floats = floats == null ? new FloatList() : floats);
                case TENSOR_INT32_DATA -> readInts(tag, int32s = int32s == null ? new IntList() : int32s);
                case TENSOR_INT64_DATA -> readLongs(tag, int64s = int64s == null ? new LongList() : int64s);
                case TENSOR_EXTERNAL_DATA -> {
                    String[] entry = new String[2];
                    readEmbedded(tag, () -> readEntry(entry));
                    if ("location".equals(entry[0])) {
                        location = entry[1];
                    }
                    external = true;
                }
                case TENSOR_DATA_LOCATION -> external |= readVarint(tag) == DATA_LOCATION_EXTERNAL;
                case TENSOR_SEGMENT -> {
                    unsupported = "a segment (a tensor split across several TensorProtos)";
                    in.skipField(tag);
                }
                case TENSOR_STRING_DATA, TENSOR_DOUBLE_DATA, TENSOR_UINT64_DATA -> {
                    unsupported = "field " + WireFormat.getTagFieldNumber(tag) + " (string, double or uint64 data)";
                    in.skipField(tag);
                }
                default -> in.skipField(tag);
            }
        }
        if (external && location == null) {
            location = "(no location given)";
        }
        OnnxTensor.Data data = new OnnxTensor.Data(raw, floats == null ? null : floats.toArray(),
                int32s == null ? null : int32s.toArray(), int64s == null ? null : int64s.toArray(),
                external ? location : null, unsupported);
        return new OnnxTensor(source, name, dataType, checkedDims(name, dims.toArray()), data);
    }

    /** Negative or overflowing dimensions would otherwise surface as a bare NegativeArraySizeException. */
    private long[] checkedDims(String name, long[] dims) throws OnnxFormatException {
        long elements = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new OnnxFormatException(source + ": tensor '" + name + "' has dimension " + d + " in "
                        + Arrays.toString(dims) + "; dimensions cannot be negative (corrupt ONNX file: re-export it)");
            }
            elements = d == 0 ? 0 : elements > Integer.MAX_VALUE / d ? Long.MAX_VALUE : elements * d;
            if (elements > Integer.MAX_VALUE) {
                throw new OnnxFormatException(source + ": tensor '" + name + "' of dimensions " + Arrays.toString(dims)
                        + " would hold more than " + Integer.MAX_VALUE + " elements, more than one array can"
                        + " (corrupt ONNX file, or a tensor too large to import)");
            }
        }
        return dims;
    }

    private void readEntry(String[] keyValue) throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case ENTRY_KEY -> keyValue[0] = readString(tag);
                case ENTRY_VALUE -> keyValue[1] = readString(tag);
                default -> in.skipField(tag);
            }
        }
    }

    // ---- wire-level helpers: each checks the wire type so a foreign file fails instead of misreading

    @FunctionalInterface
    private interface Body {
        void read() throws IOException;
    }

    private void readEmbedded(int tag, Body body) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        int length = in.readRawVarint32();
        if (length < 0) {
            throw new InvalidProtocolBufferException("negative length " + length + " of field "
                    + WireFormat.getTagFieldNumber(tag));
        }
        int oldLimit = in.pushLimit(length);
        body.read();
        if (!in.isAtEnd()) {
            throw new InvalidProtocolBufferException("message of field " + WireFormat.getTagFieldNumber(tag)
                    + " ended before its declared length");
        }
        in.popLimit(oldLimit);
    }

    private String readString(int tag) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        return in.readStringRequireUtf8();
    }

    private ByteString readBytes(int tag) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        return in.readBytes();
    }

    private long readVarint(int tag) throws IOException {
        expect(tag, WireFormat.WIRETYPE_VARINT);
        return in.readInt64();
    }

    /** A repeated int64 field, packed (one length-delimited run) or not (one varint per tag). */
    private void readLongs(int tag, LongList into) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            readEmbedded(tag, () -> {
                while (!in.isAtEnd()) {
                    into.add(in.readInt64());
                }
            });
        } else {
            into.add(readVarint(tag));
        }
    }

    private void readInts(int tag, IntList into) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            readEmbedded(tag, () -> {
                while (!in.isAtEnd()) {
                    into.add(in.readInt32());
                }
            });
        } else {
            expect(tag, WireFormat.WIRETYPE_VARINT);
            into.add(in.readInt32());
        }
    }

    private void readFloats(int tag, FloatList into) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            readEmbedded(tag, () -> {
                while (!in.isAtEnd()) {
                    into.add(in.readFloat());
                }
            });
        } else {
            expect(tag, WireFormat.WIRETYPE_FIXED32);
            into.add(in.readFloat());
        }
    }

    private static void expect(int tag, int wireType) throws InvalidProtocolBufferException {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new InvalidProtocolBufferException("field " + WireFormat.getTagFieldNumber(tag) + " has wire type "
                    + WireFormat.getTagWireType(tag) + ", expected " + wireType);
        }
    }

    private static final class LongList {
        private long[] a = new long[8];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class IntList {
        private int[] a = new int[8];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class FloatList {
        private float[] a = new float[8];
        private int n;

        void add(float v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
