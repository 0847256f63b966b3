package dev.mhc.viz;

import dev.mhc.core.inject.MhcConfig;
import java.util.List;

/**
 * The mixing of every injected layer of one model at one moment (say, one checkpoint per epoch).
 *
 * @param label how to name it in reports ("epoch 3", a directory)
 * @param settings the injection's settings (H, constraint, ...)
 * @param layers one row per injected layer, in tree order
 */
public record MixingSnapshot(String label, MhcConfig settings, List<LayerMixing> layers) {

    public MixingSnapshot {
        layers = List.copyOf(layers);
    }

    public int maxHistory() {
        return settings.maxHistory();
    }

    /** @return a copy named {@code newLabel} */
    public MixingSnapshot labelled(String newLabel) {
        return new MixingSnapshot(newLabel, settings, layers);
    }
}
