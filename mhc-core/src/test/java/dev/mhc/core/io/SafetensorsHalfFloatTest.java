package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsHalfFloatTest {
    @TempDir
    Path dir;

    @Test
    void f16KnownValuesWidenExactly() throws Exception {
        int[] bits = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x7C00, 0xFC00, 0x7E00, 0x0000, 0x8000, 0x3555};
        float[] expected = {1f, -2f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, 0f, -0f, 0.333251953125f};
        Path file = RawSafetensors.write(dir.resolve("f16.safetensors"),
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[12],\"data_offsets\":[0,24]}}", RawSafetensors.le16(bits));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            float[] got = f.readFloats("h");
            for (int i = 0; i < bits.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
                        "F16 0x" + Integer.toHexString(bits[i]));
            }
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(got[10]), "sign of zero kept");
        }
    }

    @Test
    void everyF16BitPatternMatchesTheDefinition() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1F;
            int mantissa = bits & 0x3FF;
            float got = HalfFloat.f16ToF32((short) bits);
            if (exponent == 0x1F) {
                assertEquals(mantissa != 0, Float.isNaN(got), "NaN-ness of 0x" + Integer.toHexString(bits));
                if (mantissa == 0) {
                    assertEquals(sign == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY, got);
                }
                continue;
            }
            double magnitude = exponent == 0
                    ? mantissa * Math.pow(2, -24)
                    : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            float want = (float) (sign == 0 ? magnitude : -magnitude);
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), "0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void bf16WidensToUpperHalfOfF32AndLoadsAsFloat32() throws Exception {
        int[] bits = {0x3F80, 0xC020, 0x4049, 0x7F80, 0xFF80, 0x7FC0, 0x0001, 0x8000, 0x7F7F};
        Path file = RawSafetensors.write(dir.resolve("bf16.safetensors"),
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[3,3],\"data_offsets\":[0,18]}}", RawSafetensors.le16(bits));
        try (SafetensorsFile f = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager()) {
            float[] got = f.readFloats("b");
            for (int i = 0; i < bits.length; i++) {
                assertEquals(bits[i] << 16, Float.floatToRawIntBits(got[i]), "BF16 0x" + Integer.toHexString(bits[i]));
            }
            assertEquals(1f, got[0]);
            assertEquals(-2.5f, got[1]);
            assertEquals(3.140625f, got[2]);
            assertEquals(0x1p-133f, got[6]);
            assertTrue(Float.isNaN(got[5]));
            NDArray loaded = f.load("b", m);
            assertEquals(DataType.FLOAT32, loaded.getDataType());
            assertArrayEquals(new long[] {3, 3}, loaded.getShape().getShape());
            assertArrayEquals(got, loaded.toFloatArray());
            assertArrayEquals(new double[] {1, -2.5, 3.140625}, java.util.Arrays.copyOf(f.readDoubles("b"), 3));
        }
    }
}
