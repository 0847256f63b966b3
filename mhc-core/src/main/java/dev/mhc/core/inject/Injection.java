package dev.mhc.core.inject;

import ai.djl.ndarray.NDArray;
import dev.mhc.core.module.CallScope;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.Selector;

/**
 * One injection of history mixing: its settings, its target, and the history of each forward
 * call, which the root's hooks open and close while any of its layers is in the tree.
 */
final class Injection {

    final MhcConfig config;
    final Selector target;
    final CallScope<HistoryBuffer> scope;

    Injection(MhcConfig config, Selector target, Module root) {
        this.config = config;
        this.target = target;
        this.scope = new CallScope<>(root, () -> new HistoryBuffer(config.maxHistory(), config.detachHistory(),
                this::keepForCall));
    }

    /** The history of the model's current call, as {@code layerPath} asks for it. */
    HistoryBuffer history(String layerPath) {
        return scope.current(() -> "mHC layer \"" + layerPath + "\" ran outside a forward call of the model it was"
                + " injected into; call that model (the block passed to Mhc.injectMhc), which starts a fresh"
                + " history for each call, rather than an inner block");
    }

    private NDArray keepForCall(NDArray array) {
        return scope.keep(array);
    }

    void layerInjected() {
        scope.attach();
    }

    void layerRemoved() {
        scope.detach();
    }
}
