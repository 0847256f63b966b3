package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files an attacker or an accident could put where a checkpoint's files belong: each is refused at
 * once with a message naming the file, never read forever, never followed out of the checkpoint.
 */
class HostileFilesTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir Path dir;

    private Path shardedCheckpoint(Path checkpoint, String shard) throws IOException {
        Files.createDirectories(checkpoint);
        Files.writeString(checkpoint.resolve(SafetensorsCheckpoint.INDEX_FILE),
                "{\"metadata\": {}, \"weight_map\": {\"w\": \"" + shard + "\"}}");
        return checkpoint;
    }

    private static void writeShard(Path file) throws IOException {
        Map<String, float[]> data = new LinkedHashMap<>();
        data.put("w", new float[] {1, 2});
        SafetensorsWriter.writeFloats(file, data, Map.of("w", new long[] {2}), Map.of());
    }

    @Test
    void aNamedPipeAsAShardIsRefusedWithoutBlocking() throws Exception {
        Path checkpoint = shardedCheckpoint(dir.resolve("ckpt"), "model-00001.safetensors");
        Path fifo = checkpoint.resolve("model-00001.safetensors");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        IOException e = assertTimeoutPreemptively(PROMPTLY,
                () -> assertThrows(IOException.class, () -> SafetensorsCheckpoint.open(checkpoint)));
        assertTrue(e.getMessage().startsWith(fifo + " is a named pipe"), e.getMessage());
        assertTrue(e.getMessage().contains("must be a regular file"), e.getMessage());
    }

    @Test
    void aNamedPipeAsTheIndexOrTheFileIsRefused() throws Exception {
        Path fifo = dir.resolve("model.safetensors");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        IOException e = assertTimeoutPreemptively(PROMPTLY,
                () -> assertThrows(IOException.class, () -> SafetensorsFile.open(fifo)));
        assertTrue(e.getMessage().contains("named pipe"), e.getMessage());
    }

    @Test
    void aDirectoryWhereAShardShouldBeIsNamed() throws IOException {
        Path checkpoint = shardedCheckpoint(dir.resolve("ckpt"), "model-00001.safetensors");
        Files.createDirectories(checkpoint.resolve("model-00001.safetensors"));
        IOException e = assertThrows(IOException.class, () -> SafetensorsCheckpoint.open(checkpoint));
        assertTrue(e.getMessage().startsWith(checkpoint.resolve("model-00001.safetensors") + " is a directory"),
                e.getMessage());
    }

    @Test
    void aShardLinkedOutOfTheCheckpointIsRefusedWithoutReadingIt() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET-BYTES-SECRET-BYTES-SECRET-BYTES");
        Path checkpoint = shardedCheckpoint(dir.resolve("ckpt"), "model-00001.safetensors");
        Files.createSymbolicLink(checkpoint.resolve("model-00001.safetensors"), secret);
        IOException e = assertThrows(IOException.class, () -> SafetensorsCheckpoint.open(checkpoint));
        assertTrue(e.getMessage().contains("outside " + checkpoint.toRealPath()), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), "the linked file's bytes must not reach the message");
    }

    @Test
    void aShardLinkedInsideTheCheckpointLoads() throws IOException {
        Path checkpoint = shardedCheckpoint(dir.resolve("ckpt"), "model-00001.safetensors");
        Files.createDirectories(checkpoint.resolve("blobs"));
        writeShard(checkpoint.resolve("blobs/abc"));
        Files.createSymbolicLink(checkpoint.resolve("model-00001.safetensors"), Path.of("blobs/abc"));
        try (SafetensorsCheckpoint opened = SafetensorsCheckpoint.open(checkpoint)) {
            assertEquals(2, opened.readFloats("w").length);
        }
    }

    @Test
    void aHubCacheSnapshotMayLinkToItsRepositorysBlobs() throws IOException {
        Path repository = dir.resolve("models--org--tiny");
        Path snapshot = shardedCheckpoint(repository.resolve("snapshots/0123abc"), "model-00001.safetensors");
        Files.createDirectories(repository.resolve("blobs"));
        writeShard(repository.resolve("blobs/5f3e"));
        Files.createSymbolicLink(snapshot.resolve("model-00001.safetensors"), Path.of("../../blobs/5f3e"));
        try (SafetensorsCheckpoint opened = SafetensorsCheckpoint.open(snapshot)) {
            assertEquals(2, opened.readFloats("w").length);
        }
    }

    @Test
    void aHeaderLargerThanTheHeapAllowsIsRefusedBeforeItIsRead() throws IOException {
        long declared = 100_000_000L; // the format's own maximum
        Path file = RawSafetensors.write(dir.resolve("huge-header.safetensors"), declared,
                "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(8 + declared); // sparse: the declared header is all there, as zeros
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), 8 + declared - 1);
        }
        long heap256m = 256L << 20;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                    () -> SafetensorsHeader.read(channel, file.toString(), heap256m));
            assertTrue(e.getMessage().contains("header length 100000000 bytes is more than this JVM can parse"
                    + " safely (16777216 bytes, a sixteenth of the 256 MB heap)"), e.getMessage());
        }
    }
}
