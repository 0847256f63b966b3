package dev.mhc.hf.config;

/** A config of a model that reads token ids: what callers padding a batch need to know. */
public interface TextModelConfig {

    /** @return the id that pads shorter rows, or {@code null} where the config names none */
    Integer padTokenId();
}
