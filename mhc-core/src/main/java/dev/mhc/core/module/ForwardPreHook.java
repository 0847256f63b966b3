package dev.mhc.core.module;

import ai.djl.ndarray.NDList;

/** Runs before a {@link Module}'s forward; like {@code torch.nn.Module.register_forward_pre_hook}. */
@FunctionalInterface
public interface ForwardPreHook {

    /**
     * @param module the module about to run
     * @param inputs the inputs it will receive
     * @return replacement inputs, or {@code null} to keep {@code inputs}
     */
    NDList beforeForward(Module module, NDList inputs);
}
