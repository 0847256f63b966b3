package dev.mhc.hf.onnx;

import java.io.IOException;

/**
 * An ONNX file is malformed, truncated, or uses a feature this reader does not support.
 *
 * <p>It is an {@link IOException} because the cause is the bytes on disk, not the caller's code;
 * the message names the file, the problem and what to do about it.
 */
public class OnnxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
