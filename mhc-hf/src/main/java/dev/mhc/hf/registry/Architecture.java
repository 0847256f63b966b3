package dev.mhc.hf.registry;

import ai.djl.nn.Block;

import java.util.Objects;

/**
 * One registered architecture of a family, keyed by the name HF writes in {@code
 * architectures[0]} of config.json (e.g. {@code BertForSequenceClassification}).
 *
 * @param <C> the family's config record
 */
public record Architecture<C>(String name, ModelKind kind, ModelFactory<C> factory) {

    public Architecture {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "architecture name must be non-blank, e.g. \"BertModel\"; got \""
                            + name
                            + "\"");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(factory, "factory");
    }

    /** Builds the block; a factory that returns null is a bug worth naming early. */
    public Block create(C config) {
        Objects.requireNonNull(config, "config");
        Block block = factory.create(config);
        if (block == null) {
            throw new IllegalStateException(
                    "the factory of architecture "
                            + name
                            + " returned null; a ModelFactory must return the block it built");
        }
        return block;
    }
}
