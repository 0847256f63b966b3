package dev.mhc.hf;

/** A config record with no {@code extra} map: unknown keys are dropped, not an error. */
public record PlainConfig(int hiddenSize) {}
