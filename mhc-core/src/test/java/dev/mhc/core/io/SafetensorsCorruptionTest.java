package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed file must fail at open with SafetensorsFormatException, and say why. */
class SafetensorsCorruptionTest {
    @TempDir
    Path dir;

    private byte[] valid;

    @BeforeEach
    void writeValidFile() throws IOException {
        Map<String, float[]> data = new LinkedHashMap<>();
        data.put("a", new float[] {1, 2, 3, 4, 5, 6});
        data.put("b", new float[] {7, 8, 9, 10});
        Path file = dir.resolve("valid.safetensors");
        SafetensorsWriter.writeFloats(file, data, Map.of("a", new long[] {2, 3}, "b", new long[] {4}),
                Map.of("format", "pt"));
        valid = Files.readAllBytes(file);
    }

    private SafetensorsFormatException openFails(Path file) {
        return assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(file).close());
    }

    private SafetensorsFormatException rawFails(String header, int dataBytes, String expectedInMessage)
            throws IOException {
        Path file = RawSafetensors.write(dir.resolve("bad.safetensors"), header, new byte[dataBytes]);
        SafetensorsFormatException e = openFails(file);
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
        return e;
    }

    @Test
    void truncationAtAnyPointFailsAtOpen() throws IOException {
        int n = RawSafetensors.headerLength(valid);
        int[] cuts = {0, 1, 4, 7, 8, 8 + n / 2, 8 + n - 1, 8 + n, 8 + n + 1, 8 + n + 20, valid.length - 1};
        for (int cut : cuts) {
            Path file = Files.write(dir.resolve("cut" + cut + ".safetensors"), Arrays.copyOf(valid, cut));
            SafetensorsFormatException e = openFails(file);
            assertTrue(e.getMessage().contains("truncated"), "cut at " + cut + ": " + e.getMessage());
        }
    }

    @Test
    void shortFileSaysSo() throws IOException {
        Path file = Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3});
        assertTrue(openFails(file).getMessage().contains("file is 3 bytes, shorter than the 8-byte header length"));
    }

    @Test
    void headerLengthBeyondFileSize() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("model.safetensors"), 9999999, "{}    ".getBytes(StandardCharsets.UTF_8), new byte[6]);
        assertEquals(file + ": header length 9999999 exceeds file size 20 (file truncated or not a safetensors file)",
                openFails(file).getMessage());
    }

    @Test
    void absurdHeaderLengthIsRejectedBeforeReading() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("huge.safetensors"), -1L, new byte[16], new byte[0]);
        assertTrue(openFails(file).getMessage().contains("header length 18446744073709551615 exceeds the limit"));
        file = RawSafetensors.write(dir.resolve("huge2.safetensors"), 100_000_001L, new byte[16], new byte[0]);
        assertTrue(openFails(file).getMessage().contains("exceeds the limit of 100000000 bytes"));
    }

    @Test
    void headerMustBeUtf8JsonObject() throws IOException {
        rawFails("{\"a\": {\"dtype\": ", 0, "header is not valid JSON");
        rawFails("", 0, "header is not a JSON object");
        rawFails("[1, 2]", 0, "header is not a JSON object");
        rawFails("\"text\"", 0, "header is not a JSON object");
        rawFails("{} {}", 0, "header is not valid JSON");
        rawFails("[".repeat(5000) + "]".repeat(5000), 0, "header is not a JSON object"); // refused at its first token
        rawFails("{\"a\":" + "{\"b\":".repeat(3000) + "1" + "}".repeat(3001), 0, "header is not valid JSON");
        rawFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}", 8, "Duplicate field 'a'");
        byte[] badUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        Path file = RawSafetensors.write(dir.resolve("utf.safetensors"), badUtf8.length, badUtf8, new byte[0]);
        assertTrue(openFails(file).getMessage().contains("header is not valid UTF-8"));
    }

    @Test
    void paddedHeaderAndEmptyFileAreValid() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("empty.safetensors"), "{}      ", new byte[0]);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(0, f.names().size());
        }
        file = RawSafetensors.write(dir.resolve("meta.safetensors"), "{\"__metadata__\":{\"k\":\"v\"}}", new byte[0]);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("k", "v"), f.metadata());
        }
    }

    @Test
    void entryFieldsAreChecked() throws IOException {
        rawFails("{\"t\":[1]}", 0, "tensor 't' must be an object");
        rawFails("{\"t\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 't' has no \"dtype\"");
        rawFails("{\"t\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 't' has a non-string \"dtype\"");
        rawFails("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "\"shape\" must be an array");
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", 4, "\"shape\" must be an array");
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4, "\"shape\" must be");
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "\"data_offsets\" must be an array of 2");
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4, "\"data_offsets\" must be");
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,\"4\"]}}", 4, "\"data_offsets\" must be");
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999999]}}", 4,
                "\"data_offsets\" must be");
        rawFails("{\"__metadata__\":{\"total\":5}}", 0, "\"__metadata__\" value of 'total' must be a string");
        rawFails("{\"__metadata__\":[]}", 0, "\"__metadata__\" must be an object");
    }

    @Test
    void unknownDtype() throws IOException {
        rawFails("{\"t\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1,
                "tensor 't' has unsupported dtype 'F8_E4M3'; supported: [F64, F32");
    }

    @Test
    void negativeDimension() throws IOException {
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}", 8,
                "tensor 't' \"shape\" must be an array of non-negative integers, got [-1,2]");
    }

    @Test
    void offsetsAreChecked() throws IOException {
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8, "begin 8 > end 4");
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4,
                "tensor 't' ends at data offset 8, past the end of the data section (4 bytes)");
        rawFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12,
                "tensor 'b' [4, 12) overlaps tensor 'a' [0, 8)");
        rawFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12,
                "data bytes [4, 8) before tensor 'b' belong to no tensor");
        rawFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
                "data bytes [0, 4) before tensor 'a' belong to no tensor");
        rawFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 6,
                "data section is 6 bytes but the tensors cover only 4");
    }

    @Test
    void sizeMustMatchShape() throws IOException {
        rawFails("{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
                "tensor 't' has 8 bytes of data but shape [3] of F32 needs 12");
        rawFails("{\"t\":{\"dtype\":\"I64\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8,
                "whose byte size overflows");
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() throws IOException {
        Random random = new Random(20240611);
        int n = RawSafetensors.headerLength(valid);
        Path file = dir.resolve("fuzz.safetensors");
        int opened = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = valid.clone();
            int flips = 1 + random.nextInt(3);
            for (int k = 0; k < flips; k++) {
                int at = random.nextInt(8 + n);
                bytes[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) "0123456789,[]{}\":-. ".charAt(random.nextInt(20));
            }
            if (random.nextInt(10) == 0) {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            Files.write(file, bytes);
            SafetensorsFile f;
            try {
                f = SafetensorsFile.open(file);
            } catch (SafetensorsFormatException expected) {
                continue;
            }
            opened++;
            try (f) {
                for (String name : f.names()) {
                    TensorInfo t = f.info(name);
                    if (t.dtype() == TensorDType.F32 || t.dtype() == TensorDType.F16 || t.dtype() == TensorDType.BF16) {
                        assertEquals(t.numel(), f.readFloats(name).length);
                    } else if (t.dtype() == TensorDType.F64) {
                        assertEquals(t.numel(), f.readDoubles(name).length);
                    } else {
                        assertEquals(t.numel(), f.readLongs(name).length);
                    }
                }
            }
        }
        assertTrue(opened > 0, "some mutations (e.g. in metadata text) should still be valid files");
    }

    @Test
    void lookupErrorsAreIllegalArgumentWithHints() throws IOException {
        Path file = dir.resolve("valid.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.readFloats("c"));
            assertTrue(e.getMessage().contains("no tensor named 'c'; it has 2 tensors, e.g. 'a', 'b'"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> f.info("bert.b"));
            assertTrue(e.getMessage().contains("e.g. 'b', 'a'"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> f.readLongs("a"));
            assertTrue(e.getMessage().contains("readLongs cannot read tensor 'a' of dtype F32; use readFloats"),
                    e.getMessage());
            assertArrayEquals(new float[] {7, 8, 9, 10}, f.readFloats("b"));
        }
        Path f64 = RawSafetensors.write(dir.resolve("f64.safetensors"),
                "{\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}", new byte[8]);
        SafetensorsFile f = SafetensorsFile.open(f64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.readFloats("d"));
        assertTrue(e.getMessage().contains("use readDoubles"), e.getMessage());
        assertArrayEquals(new double[] {0}, f.readDoubles("d"));
        f.close();
        assertThrows(IllegalStateException.class, () -> f.readDoubles("d"));
    }

    /** A file cut short after it was opened fails the load with a message, not a fault in native code. */
    @Test
    void aFileTruncatedAfterOpeningFailsTheLoadAndSaysSo() throws IOException {
        Path file = Files.write(dir.resolve("model.safetensors"), valid);
        try (SafetensorsFile f = SafetensorsFile.open(file);
                ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {7, 8, 9, 10}, f.load("b", manager).toFloatArray());
            try (java.nio.channels.FileChannel channel =
                    java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(valid.length - 8);
            }
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> f.load("b", manager));
            assertTrue(e.getMessage().contains("tensor 'b'; it was truncated after being opened"), e.getMessage());
        }
    }
}
