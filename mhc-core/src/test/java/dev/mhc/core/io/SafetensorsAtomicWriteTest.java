package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsAtomicWriteTest {
    private static final byte[] OLD = "previous checkpoint".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path target;

    @BeforeEach
    void existingTarget() throws IOException {
        target = Files.write(dir.resolve("model.safetensors"), OLD);
    }

    /** A stand-in NDArray; lets tests use types (like BFLOAT16) that must never reach the engine. */
    private static NDArray fake(DataType type, Shape shape, Supplier<ByteBuffer> bytes, AtomicInteger reads) {
        return (NDArray) Proxy.newProxyInstance(NDArray.class.getClassLoader(), new Class<?>[] {NDArray.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getDataType" -> type;
                    case "getShape" -> shape;
                    case "toByteBuffer" -> {
                        reads.incrementAndGet();
                        yield bytes.get();
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake " + type;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private void assertUntouched() throws IOException {
        assertArrayEquals(OLD, Files.readAllBytes(target), "existing file must be untouched");
        try (Stream<Path> s = Files.list(dir)) {
            List<String> left = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            assertEquals(List.of("model.safetensors"), left, "no temp file may be left behind");
        }
    }

    @Test
    void failureWhileWritingDataLeavesTargetAndNoTempFile() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("good", m.create(new float[] {1, 2, 3}));
            t.put("failing", fake(DataType.FLOAT32, new Shape(2), () -> {
                throw new IllegalStateException("simulated device failure");
            }, reads));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SafetensorsWriter.write(target, t, Map.of()));
            assertEquals("simulated device failure", e.getMessage());
        }
        assertEquals(1, reads.get(), "failure happened midway, after the header and the first tensor");
        assertUntouched();
    }

    @Test
    void arrayProducingWrongByteCountIsCaught() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        Map<String, NDArray> t = Map.of("short", fake(DataType.FLOAT32, new Shape(4), () -> ByteBuffer.allocate(12), reads));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(target, t, null));
        assertTrue(e.getMessage().contains("'short' produced 12 bytes of data, expected 16"), e.getMessage());
        assertUntouched();
    }

    @Test
    void bfloat16AndUnsupportedTypesAreRefusedBeforeWriting() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        Map<String, NDArray> bf16 = Map.of("w", fake(DataType.BFLOAT16, new Shape(2), () -> ByteBuffer.allocate(4), reads));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(target, bf16, null));
        assertTrue(e.getMessage().contains("'w' is BFLOAT16"), e.getMessage());
        Map<String, NDArray> u32 = Map.of("u", fake(DataType.UINT32, new Shape(2), () -> ByteBuffer.allocate(8), reads));
        e = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(target, u32, null));
        assertTrue(e.getMessage().contains("'u' has data type uint32") || e.getMessage().contains("UINT32"),
                e.getMessage());
        assertEquals(0, reads.get());
        assertUntouched();
    }

    @Test
    void successfulWriteReplacesTargetReadably() throws IOException {
        SafetensorsWriter.writeFloats(target, Map.of("x", new float[] {4, 5}), Map.of("x", new long[] {2}), null);
        try (SafetensorsFile f = SafetensorsFile.open(target)) {
            assertArrayEquals(new float[] {4, 5}, f.readFloats("x"));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        }
    }

    @Test
    void missingDirectoryFailsWithoutCreatingAnything() {
        Path nowhere = dir.resolve("no/such/dir/model.safetensors");
        assertThrows(NoSuchFileException.class, () -> SafetensorsWriter.writeFloats(nowhere,
                Map.of("x", new float[] {1}), Map.of("x", new long[] {1}), null));
        assertTrue(Files.notExists(dir.resolve("no")));
    }
}
