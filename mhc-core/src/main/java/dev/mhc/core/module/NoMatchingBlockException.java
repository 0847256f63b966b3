package dev.mhc.core.module;

/** A selector matched nothing; the message lists what the model does contain. */
public class NoMatchingBlockException extends IllegalArgumentException {

    public NoMatchingBlockException(String message) {
        super(message);
    }
}
