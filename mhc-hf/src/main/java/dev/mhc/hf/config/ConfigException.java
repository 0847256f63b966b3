package dev.mhc.hf.config;

/**
 * A model config that cannot be read, bound or overridden. The message names the file (or
 * override) and the key, what was expected, and what to change.
 */
public class ConfigException extends IllegalArgumentException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
