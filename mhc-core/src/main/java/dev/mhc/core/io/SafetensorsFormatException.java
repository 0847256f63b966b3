package dev.mhc.core.io;

import java.io.IOException;

/**
 * A safetensors file or index is malformed or inconsistent.
 *
 * <p>It is an {@link IOException} because the cause is the bytes on disk, not the caller's code;
 * the message names the file, the problem and what to do about it.
 */
public class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
