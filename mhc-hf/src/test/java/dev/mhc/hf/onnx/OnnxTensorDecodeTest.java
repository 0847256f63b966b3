package dev.mhc.hf.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each TensorProto data encoding decodes to the same values; unsupported ones fail when read. */
class OnnxTensorDecodeTest {

    private static OnnxTensor only(OnnxProtoWriter.Msg tensor) throws OnnxFormatException {
        byte[] model = new OnnxProtoWriter.Graph().initializer(tensor).model(14);
        OnnxModel m = OnnxModel.parse(model, "t.onnx");
        assertEquals(1, m.initializers().size());
        return m.initializers().values().iterator().next();
    }

    @Test
    void floatsFromRawDataAndFromFloatData() throws OnnxFormatException {
        float[] values = {1.5f, -2f, 0f, 3.25f, Float.MIN_VALUE, -0f};
        OnnxTensor raw = only(OnnxProtoWriter.floats("a", new long[] {2, 3}, values));
        OnnxTensor typed = only(OnnxProtoWriter.tensor("a", OnnxDataType.FLOAT, 2, 3).packedFloats(4, values));
        assertArrayEquals(values, raw.toFloats());
        assertArrayEquals(values, typed.toFloats());
        assertArrayEquals(new long[] {2, 3}, raw.dims());
        assertEquals(6, raw.numel());
    }

    @Test
    void float16FromRawDataAndFromInt32DataWidensExactly() throws OnnxFormatException {
        // 1, -2, 65504 (max), 2^-24 (smallest subnormal), +inf
        short[] bits = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x7c00};
        float[] expected = {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY};
        assertArrayEquals(expected, only(OnnxProtoWriter.halves("h", new long[] {5}, bits)).toFloats());
        int[] asInts = new int[bits.length];
        for (int i = 0; i < bits.length; i++) {
            asInts[i] = bits[i] & 0xffff;
        }
        assertArrayEquals(expected,
                only(OnnxProtoWriter.tensor("h", OnnxDataType.FLOAT16, 5).packedInts(5, asInts)).toFloats());
    }

    @Test
    void integersWidenToLong() throws OnnxFormatException {
        assertArrayEquals(new long[] {-1, 2, 1L << 40},
                only(OnnxProtoWriter.longs("i", new long[] {3}, new long[] {-1, 2, 1L << 40})).toLongs());
        assertArrayEquals(new long[] {-7, 9},
                only(OnnxProtoWriter.tensor("i", OnnxDataType.INT32, 2).packedInts(5, -7, 9)).toLongs());
        // unpacked repeated int64, as older writers emit it
        assertArrayEquals(new long[] {4, 5},
                only(OnnxProtoWriter.tensor("i", OnnxDataType.INT64, 2).varint(7, 4).varint(7, 5)).toLongs());
    }

    @Test
    void aScalarHasOneElement() throws OnnxFormatException {
        OnnxTensor s = only(OnnxProtoWriter.floats("eps", new long[] {}, new float[] {1e-12f}));
        assertEquals(1, s.numel());
        assertArrayEquals(new float[] {1e-12f}, s.toFloats());
    }

    @Test
    void externalDataIsRefusedWhenRead() throws OnnxFormatException {
        OnnxTensor t = only(OnnxProtoWriter.tensor("big", OnnxDataType.FLOAT, 2)
                .message(13, new OnnxProtoWriter.Msg().string(1, "location").string(2, "weights.bin"))
                .varint(14, 1));
        assertTrue(t.isExternal());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, t::toFloats);
        assertTrue(e.getMessage().startsWith("t.onnx: tensor 'big' keeps its data in the external file 'weights.bin'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("save_as_external_data=False"), e.getMessage());
    }

    @Test
    void wrongTypeAndWrongLengthSayWhatWasExpected() throws OnnxFormatException {
        OnnxTensor doubles = only(OnnxProtoWriter.tensor("d", OnnxDataType.DOUBLE, 1).bytes(9, new byte[8]));
        OnnxFormatException type = assertThrows(OnnxFormatException.class, doubles::toFloats);
        assertTrue(type.getMessage().contains("of type DOUBLE; it reads FLOAT or FLOAT16"), type.getMessage());
        OnnxTensor longs = only(OnnxProtoWriter.longs("l", new long[] {1}, new long[] {1}));
        assertThrows(OnnxFormatException.class, longs::toFloats);
        OnnxTensor floats = only(OnnxProtoWriter.floats("f", new long[] {1}, new float[] {1}));
        assertTrue(assertThrows(OnnxFormatException.class, floats::toLongs).getMessage().contains("INT64 or INT32"));
        OnnxTensor short3 = only(OnnxProtoWriter.tensor("s", OnnxDataType.FLOAT, 3).bytes(9, new byte[8]));
        OnnxFormatException length = assertThrows(OnnxFormatException.class, short3::toFloats);
        assertTrue(length.getMessage().contains("has 8 bytes of raw_data, expected 12"), length.getMessage());
    }

    @Test
    void constantNodesExposeTheirTensor() throws OnnxFormatException {
        byte[] model = new OnnxProtoWriter.Graph()
                .node("/c/Constant", "Constant", List.of(), List.of("c_out"), OnnxProtoWriter.tensorAttribute("value",
                        OnnxProtoWriter.floats("", new long[] {2}, new float[] {3, 4})))
                .node("/c/Gemm", "Gemm", List.of("x", "c_out"), List.of("y"), OnnxProtoWriter.intAttribute("transB", 1))
                .model(14);
        OnnxModel m = OnnxModel.parse(model, "c.onnx");
        assertArrayEquals(new float[] {3, 4}, m.constant("c_out").orElseThrow().toFloats());
        assertEquals(1L, m.consumers("c_out").get(0).intAttributes().get("transB"));
        assertEquals("/c/Constant", m.producer("c_out").orElseThrow().name());
        assertEquals(14, m.opsetVersion());
    }
}
