package dev.mhc.core.inject;

import dev.mhc.core.module.HookHandle;
import dev.mhc.core.module.Module;

/** One call of {@code injectMhc}: its settings, its per-call history and the root's hooks. */
final class Injection {

    final MhcConfig config;
    final HistoryScope scope;
    private final HookHandle open;
    private final HookHandle close;

    Injection(MhcConfig config, Module root) {
        this.config = config;
        this.scope = new HistoryScope(config.maxHistory(), config.detachHistory());
        this.open =
                root.registerForwardPreHook(
                        (module, inputs) -> {
                            scope.open();
                            return null;
                        });
        this.close =
                root.registerForwardHook(
                        (module, inputs, outputs) -> {
                            scope.close();
                            return null;
                        },
                        true);
    }

    /** Unhooks the root; the layers' wrappers are removed by the caller. */
    void detachFromRoot() {
        open.remove();
        close.remove();
    }
}
