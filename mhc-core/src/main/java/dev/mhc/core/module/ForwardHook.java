package dev.mhc.core.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Runs after a {@link Module}'s forward; like {@code torch.nn.Module.register_forward_hook}.
 *
 * <p>A module's inputs and outputs are released when its caller returns (see {@link BlockScope}):
 * a hook (pre or post) that keeps one for after the forward, to look at activations, passes it to
 * {@link #keep}.
 */
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

    /**
     * Keeps an array a hook captured alive after the model's forward returns, until the manager
     * of the model's inputs closes. Call it in the hook itself.
     *
     * @return {@code array}
     */
    static NDArray keep(NDArray array) {
        BlockScope.unregisterEverywhere(array);
        return array;
    }
}
