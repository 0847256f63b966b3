package dev.mhc.hf.patches;

/**
 * A patch on the config, before the model is built. Config records are immutable, so the patch
 * returns the config to use: a changed copy, or the same instance when it changes nothing.
 *
 * @param <C> the config record of the model type the patch is registered for
 */
@FunctionalInterface
public interface PreInitPatch<C> {

    C apply(C config, PatchOptions options);
}
