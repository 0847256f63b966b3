package dev.mhc.core.inject;

import dev.mhc.core.module.HookHandle;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.Selector;

/**
 * One injection of history mixing: its settings, its target, its per-call history, and the root's
 * hooks that open and close that history around every forward call while any of its layers is in
 * the tree.
 */
final class Injection {

    final MhcConfig config;
    final Selector target;
    final HistoryScope scope;
    private final Module root;
    private int layersInTree;
    private HookHandle open;
    private HookHandle close;

    Injection(MhcConfig config, Selector target, Module root) {
        this.config = config;
        this.target = target;
        this.root = root;
        this.scope = new HistoryScope(config.maxHistory(), config.detachHistory());
    }

    void layerInjected() {
        if (layersInTree++ == 0) {
            open = root.registerForwardPreHook((module, inputs) -> {
                scope.open();
                return null;
            });
            close = root.registerForwardHook((module, inputs, outputs) -> {
                scope.close();
                return null;
            }, true);
        }
    }

    void layerRemoved() {
        if (--layersInTree == 0) {
            open.remove();
            close.remove();
        }
    }
}
