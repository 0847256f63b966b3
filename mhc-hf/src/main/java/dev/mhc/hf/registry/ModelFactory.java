package dev.mhc.hf.registry;

import ai.djl.nn.Block;

/**
 * Builds one architecture from its config. It only builds the block tree: weights are loaded
 * afterwards by the caller, so the same factory serves both from-config and from-checkpoint.
 *
 * @param <C> the family's config record
 */
@FunctionalInterface
public interface ModelFactory<C> {

    Block create(C config);
}
