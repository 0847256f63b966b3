package dev.mhc.hf.patches;

import dev.mhc.core.inject.Constraint;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.inject.MhcConfig;
import java.util.Set;

/**
 * The built-in post-init patch {@code (model type, "mhc")}: injects history mixing into the
 * family's layer class, configured by the options it declares.
 */
final class MhcPatch {

    static final String NAME = "mhc";
    static final Set<String> OPTIONS = Set.of("max_history", "epsilon", "constraint", "detach_history", "gate");

    private MhcPatch() {}

    static PostInitPatch forLayer(String layerClass) {
        return (model, options) ->
                Mhc.builder()
                        .target(layerClass)
                        .maxHistory(options.getInt("max_history", MhcConfig.DEFAULT_HISTORY))
                        .epsilon(options.getDouble("epsilon", 0.1))
                        .constraint(Constraint.parse(options.getString("constraint", "identity")))
                        .detachHistory(options.getBoolean("detach_history", false))
                        .gate(options.getBoolean("gate", false))
                        .inject(model);
    }
}
