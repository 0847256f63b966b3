package dev.mhc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.hf.LoadOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --override model.KEY=VALUE}, {@code --patch NAME[:k=v,...]} and {@code --strict-config}, on
 * every command that loads a model: the library's config overrides, named patches and key checks,
 * with its errors. A value is
 * read as JSON when it is JSON ({@code 0.0}, {@code true}, {@code [1,2]}, {@code {"factor": 8}}),
 * else taken as a string.
 */
final class LoadFlags {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--override", paramLabel = "model.KEY=VALUE",
            description = "change a config.json value before the model is built, e.g. model.hidden_dropout_prob=0"
                    + " or model.rope_scaling.factor=8 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--patch", paramLabel = "NAME[:k=v,...]",
            description = "apply a registered patch, e.g. mhc:max_history=3,epsilon=0.05 (repeatable)")
    List<String> patches = new ArrayList<>();

    @Option(names = "--strict-config",
            description = "refuse a config.json with keys this library does not read (by default they are named"
                    + " on stderr and the model loads)")
    boolean strictConfig;

    /** @return {@code options} with the overrides, patches and strictness given */
    LoadOptions applyTo(LoadOptions options) {
        if (strictConfig) {
            options.strictConfig(true);
        }
        if (!overrides.isEmpty()) {
            options.overrides(overrides());
        }
        patchCalls().forEach(call -> options.patch(call.name(), call.options()));
        return options;
    }

    /** @return the patches given, in order */
    List<LoadOptions.PatchCall> patchCalls() {
        List<LoadOptions.PatchCall> calls = new ArrayList<>();
        for (String patch : patches) {
            int colon = patch.indexOf(':');
            String name = colon < 0 ? patch : patch.substring(0, colon);
            if (name.isBlank()) {
                throw new IllegalArgumentException("--patch needs a name, as NAME or NAME:k=v,..., got \"" + patch + "\"");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            if (colon >= 0 && colon < patch.length() - 1) {
                for (String pair : patch.substring(colon + 1).split(",")) {
                    String[] kv = split(pair, "--patch " + name);
                    values.put(kv[0], value(kv[1]));
                }
            }
            calls.add(new LoadOptions.PatchCall(name, values));
        }
        return calls;
    }

    /** @return the overrides as a map of {@code model.*} keys, in the order given */
    Map<String, Object> overrides() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String override : overrides) {
            String[] kv = split(override, "--override");
            map.put(kv[0], value(kv[1]));
        }
        return map;
    }

    private static String[] split(String pair, String flag) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(flag + " takes KEY=VALUE, got \"" + pair + "\"");
        }
        return new String[] {pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()};
    }

    static Object value(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException notJson) {
            return text;
        }
    }
}
