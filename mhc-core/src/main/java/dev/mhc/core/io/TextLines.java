package dev.mhc.core.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a data file line by line as every reader of training data should: a regular file only
 * ({@link InputFiles#regular}: no pipe or device), strict UTF-8 (a bad byte is named by its line, not
 * "Input length = 1"), a leading byte-order mark dropped, and no line longer than {@link
 * #MAX_LINE_BYTES} (a file of one endless line is refused, not read until memory runs out). Lines are
 * split on the byte {@code \n}, which UTF-8 never uses inside a character, and decoded one by one, so
 * the line an error names is the line that holds the bad byte.
 */
public final class TextLines {

    /** The longest line read: 64 MiB. */
    public static final int MAX_LINE_BYTES = 64 << 20;

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Takes each line with its number (from 1), without its line break. */
    @FunctionalInterface
    public interface Handler {
        void line(int number, String text) throws IOException;
    }

    private TextLines() {}

    /** @param what what the file is, for messages ("training data") */
    public static void read(Path file, String what, Handler handler) throws IOException {
        InputFiles.regular(file, what);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int number = 1;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    handler.line(number, decode(line, number, utf8, file));
                    number++;
                    line.reset();
                } else if (line.size() >= MAX_LINE_BYTES) {
                    throw new IOException(file + " line " + number + " is longer than " + MAX_LINE_BYTES
                            + " bytes; is this the " + what + " file? (split long texts into lines)");
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0) {
                handler.line(number, decode(line, number, utf8, file));
            }
        }
    }

    /** The line's text: a byte-order mark on the first line and a closing \r dropped. */
    private static String decode(ByteArrayOutputStream line, int number, CharsetDecoder utf8, Path file)
            throws IOException {
        byte[] bytes = line.toByteArray();
        int from = number == 1 && startsWithBom(bytes) ? BOM.length : 0;
        int to = bytes.length > from && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return utf8.reset().decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " line " + number + " is not valid UTF-8 text; save the file as UTF-8", e);
        }
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= BOM.length && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
    }
}
