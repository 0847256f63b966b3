package dev.mhc.core.module;

import ai.djl.ndarray.NDList;

/** Runs after a {@link Module}'s forward; like {@code torch.nn.Module.register_forward_hook}. */
@FunctionalInterface
public interface ForwardHook {

    /**
     * @param module the module that ran
     * @param inputs the inputs it received (after any pre-hook)
     * @param outputs its outputs, or {@code null} when the forward threw and the hook was
     *     registered with {@code alwaysCall}
     * @return replacement outputs, or {@code null} to keep {@code outputs}
     */
    NDList afterForward(Module module, NDList inputs, NDList outputs);
}
