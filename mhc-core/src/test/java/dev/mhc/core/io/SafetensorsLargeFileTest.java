package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files over 2 GB must work via per-tensor mapping; uses a sparse file, so it costs no disk. */
class SafetensorsLargeFileTest {
    @TempDir
    Path dir;

    @Test
    void tensorBeyondTwoGigabytesIsReadableAndHugeTensorFailsClearly() throws IOException {
        long big = 1L << 31;
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]},"
                + "\"small\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + big + "," + (big + 8) + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("sparse.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(h.length).put(h).flip();
            ch.write(prefix, 0);
            ch.write(ByteBuffer.wrap(RawSafetensors.le32(1.5f, -3f)), 8 + h.length + big);
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1.5f, -3f}, f.readFloats("small"));
            IOException e = assertThrows(IOException.class, () -> f.readLongs("big"));
            assertTrue(e.getMessage().contains("tensor 'big' is 2147483648 bytes; tensors of 2 GB or more"),
                    e.getMessage());
        }
    }
}
