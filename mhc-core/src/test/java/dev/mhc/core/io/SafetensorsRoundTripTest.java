package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyWritableTypeRoundTripsWithOrderShapesAndMetadata() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("z.f32", m.create(new float[] {1.5f, -2f, 3f, Float.NaN, Float.NEGATIVE_INFINITY, 6f}, new Shape(2, 3)));
            t.put("a.scalar", m.create(3.25f));
            t.put("m.empty", m.zeros(new Shape(0, 4)));
            t.put("f16", m.create(new float[] {1f, -2f, 0.5f, 65504f, 0x1p-14f, 0x1p-24f}).toType(DataType.FLOAT16, false));
            t.put("i64", m.create(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, new Shape(2, 2)));
            t.put("i32", m.create(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}));
            t.put("i32.scalar", m.create(42));
            t.put("f64", m.create(new double[] {Math.PI, -1e300}));
            t.put("i8", m.create(new byte[] {-128, 0, 127}));
            t.put("u8", m.create(ByteBuffer.wrap(new byte[] {0, (byte) 200, (byte) 255}), new Shape(3), DataType.UINT8));
            t.put("bool", m.create(new boolean[] {true, false, true}));
            t.put("transposed", m.arange(6f).reshape(2, 3).transpose());
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put("note", "h\u00e9llo \u2713");
            Path file = dir.resolve("rt.safetensors");

            SafetensorsWriter.write(file, t, meta);

            byte[] bytes = Files.readAllBytes(file);
            int n = RawSafetensors.headerLength(bytes);
            assertEquals(0, n % 8, "header padded to a multiple of 8");
            assertTrue(new String(bytes, 8, n, StandardCharsets.UTF_8).startsWith("{\"__metadata__\":{\"format\":\"pt\""));
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertEquals(List.copyOf(t.keySet()), f.names());
                assertEquals(meta, f.metadata());
                assertEquals(TensorDType.F32, f.info("z.f32").dtype());
                assertArrayEquals(new long[] {2, 3}, f.info("z.f32").shape());
                assertArrayEquals(new long[0], f.info("a.scalar").shape());
                assertEquals(1, f.info("a.scalar").numel());
                assertArrayEquals(new long[] {0, 4}, f.info("m.empty").shape());
                assertEquals(0, f.info("m.empty").numel());
                assertEquals(TensorDType.F16, f.info("f16").dtype());
                assertEquals(TensorDType.I64, f.info("i64").dtype());
                assertEquals(TensorDType.I32, f.info("i32").dtype());
                assertEquals(TensorDType.F64, f.info("f64").dtype());
                assertEquals(TensorDType.I8, f.info("i8").dtype());
                assertEquals(TensorDType.U8, f.info("u8").dtype());
                assertEquals(TensorDType.BOOL, f.info("bool").dtype());

                assertArrayEquals(t.get("z.f32").toFloatArray(), f.readFloats("z.f32"));
                assertArrayEquals(new float[] {3.25f}, f.readFloats("a.scalar"));
                assertArrayEquals(new float[0], f.readFloats("m.empty"));
                assertArrayEquals(new float[] {1f, -2f, 0.5f, 65504f, 0x1p-14f, 0x1p-24f}, f.readFloats("f16"));
                assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, f.readLongs("i64"));
                assertArrayEquals(new long[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, f.readLongs("i32"));
                assertArrayEquals(new long[] {42}, f.readLongs("i32.scalar"));
                assertArrayEquals(new double[] {Math.PI, -1e300}, f.readDoubles("f64"));
                assertArrayEquals(new long[] {-128, 0, 127}, f.readLongs("i8"));
                assertArrayEquals(new long[] {0, 200, 255}, f.readLongs("u8"));
                assertArrayEquals(new long[] {1, 0, 1}, f.readLongs("bool"));
                assertArrayEquals(new long[] {3, 2}, f.info("transposed").shape());
                assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, f.readFloats("transposed"), "row-major logical order");

                for (String name : t.keySet()) {
                    NDArray original = t.get(name);
                    try (NDArray loaded = f.load(name, m)) {
                        assertEquals(original.getShape(), loaded.getShape(), name);
                        NDArray expected = original.getDataType() == DataType.FLOAT16
                                ? original.toType(DataType.FLOAT32, false) : original;
                        if (original.getDataType() == DataType.INT32) {
                            expected = original.toType(DataType.INT64, false);
                        }
                        assertEquals(expected.getDataType(), loaded.getDataType(), name);
                        assertArrayEquals(expected.toByteBuffer().array(), loaded.toByteBuffer().array(), name);
                    }
                }
            }
        }
    }

    @Test
    void writeFloatsNeedsNoNdManagerAndOmitsEmptyMetadata() throws Exception {
        Map<String, float[]> data = new LinkedHashMap<>();
        data.put("b", new float[] {1, 2, 3, 4, 5, 6});
        data.put("a", new float[] {7});
        Map<String, long[]> shapes = Map.of("a", new long[0], "b", new long[] {3, 2});
        Path file = dir.resolve("plain.safetensors");

        SafetensorsWriter.writeFloats(file, data, shapes, Map.of());

        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 8, RawSafetensors.headerLength(bytes), StandardCharsets.UTF_8);
        assertEquals("{\"b\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]}}", header.strip());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("b", "a"), f.names());
            assertEquals(Map.of(), f.metadata());
            assertArrayEquals(data.get("b"), f.readFloats("b"));
            assertArrayEquals(new double[] {7}, f.readDoubles("a"));
        }
    }

    @Test
    void writeFloatsRejectsInconsistentArguments() {
        Path file = dir.resolve("x.safetensors");
        Map<String, float[]> data = Map.of("w", new float[5]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.writeFloats(file, data, Map.of("w", new long[] {2, 3}), null));
        assertTrue(e.getMessage().contains("'w' has 5 values but shape [2, 3] needs 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.writeFloats(file, data, Map.of(), null));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.writeFloats(file,
                Map.of("__metadata__", new float[1]), Map.of("__metadata__", new long[] {1}), null));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.writeFloats(file,
                Map.of("w", new float[0]), Map.of("w", new long[] {-1, 0}), null));
        assertTrue(!Files.exists(file));
    }
}
