package dev.mhc.core.io;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a data file line by line as every reader of training data should: a regular file only
 * ({@link InputFiles#regular}: no pipe or device), strict UTF-8 (a bad byte is named by line, not
 * "Input length = 1"), a leading byte-order mark dropped, and no line longer than {@link
 * #MAX_LINE_CHARS} (a file of one endless line is refused, not read until memory runs out).
 */
public final class TextLines {

    /** The longest line read: 64 Mi characters. */
    public static final int MAX_LINE_CHARS = 64 << 20;

    /** Takes each line with its number (from 1), without its line break. */
    @FunctionalInterface
    public interface Handler {
        void line(int number, String text) throws IOException;
    }

    private TextLines() {}

    /** @param what what the file is, for messages ("training data") */
    public static void read(Path file, String what, Handler handler) throws IOException {
        InputFiles.regular(file, what);
        int number = 1;
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            StringBuilder line = new StringBuilder();
            char[] buffer = new char[8192];
            boolean first = true;
            int n;
            while ((n = read(reader, buffer, file, number)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (first && c == '\uFEFF') {
                        first = false;
                        continue;
                    }
                    first = false;
                    if (c == '\n') {
                        handler.line(number++, stripReturn(line));
                        line.setLength(0);
                    } else if (line.length() >= MAX_LINE_CHARS) {
                        throw new IOException(file + " line " + number + " is longer than " + MAX_LINE_CHARS
                                + " characters; is this the " + what + " file? (split long texts into lines)");
                    } else {
                        line.append(c);
                    }
                }
            }
            if (line.length() > 0) {
                handler.line(number, stripReturn(line));
            }
        }
    }

    private static int read(Reader reader, char[] buffer, Path file, int number) throws IOException {
        try {
            return reader.read(buffer);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " line " + number + " is not valid UTF-8 text; save the file as UTF-8", e);
        }
    }

    private static String stripReturn(StringBuilder line) {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }
}
