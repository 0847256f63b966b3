package dev.mhc.cli;

import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A failure as the one line the command prints: the exception's own message where it says what was
 * wrong, else what the JDK's bare messages mean ("/x.jsonl" alone is a missing file, "Input length =
 * 1" is invalid UTF-8, an OutOfMemoryError is memory).
 */
final class ErrorLines {

    private ErrorLines() {}

    static String of(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "): the model, batch or sizes asked for do not fit; lower"
                    + " them (batch size, max length, layers), or give the JVM more (-Xmx) if the machine has it";
        }
        if (e instanceof NoSuchFileException missing) {
            String what = missing.getReason() == null ? "" : " (" + missing.getReason() + ")";
            return "no such file or directory: " + missing.getFile() + what;
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (e instanceof NotDirectoryException notDir) {
            return notDir.getFile() + " is not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getFile() + ": " + fs.getReason();
        }
        if (e instanceof CharacterCodingException) {
            return "a file is not valid UTF-8 text (" + e.getMessage() + "); save it as UTF-8";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
