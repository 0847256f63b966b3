package dev.mhc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines as a person counts them: a bad byte named by its own line, far past any read-ahead buffer. */
class TextLinesTest {

    @TempDir Path tmp;

    @Test
    void aBadByteIsNamedByItsLineAndTheRestReadsAsWritten() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        for (int i = 1; i < 5000; i++) {
            bytes.writeBytes(("caf\u00e9 " + i + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.writeBytes(new byte[] {'x', (byte) 0xE9, '\n'}); // line 5000: Latin-1, not UTF-8
        Path file = Files.write(tmp.resolve("data.txt"), bytes.toByteArray());
        List<String> lines = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> TextLines.read(file, "data", (n, l) -> lines.add(l)));
        assertTrue(e.getMessage().contains("line 5000 is not valid UTF-8"), e.getMessage());
        assertEquals(4999, lines.size());
        assertEquals("caf\u00e9 1", lines.get(0), "the byte-order mark and the \\r dropped");
    }
}
