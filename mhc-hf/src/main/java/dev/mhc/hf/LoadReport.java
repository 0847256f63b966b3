package dev.mhc.hf;

import dev.mhc.core.io.WeightLoader;
import java.util.List;
import java.util.Optional;

/**
 * What loading a model found: the checkpoint keys (loaded, missing, unexpected, non-finite) and the
 * config.json keys this library does not know, which may change what the model computes.
 *
 * @param unknownConfigKeys unknown keys in file order, nested ones as dotted paths
 *     ({@code rope_parameters.attention_factor}); empty under {@link LoadOptions#strictConfig}, which
 *     refuses them
 */
public record LoadReport(WeightLoader.Report weights, List<String> unknownConfigKeys) {

    public LoadReport {
        unknownConfigKeys = List.copyOf(unknownConfigKeys);
    }

    public List<String> loaded() {
        return weights.loaded();
    }

    public List<String> missing() {
        return weights.missing();
    }

    public List<String> unexpected() {
        return weights.unexpected();
    }

    public List<String> nonFinite() {
        return weights.nonFinite();
    }

    /** @return one line naming the unknown config keys, for a person; empty when there are none */
    public Optional<String> configNotice(String source) {
        if (unknownConfigKeys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(source + ": config keys this library does not read, which may change what the model"
                + " computes: " + unknownConfigKeys + " (--strict-config / LoadOptions.strictConfig refuses them)");
    }
}
