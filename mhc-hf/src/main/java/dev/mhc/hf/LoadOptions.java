package dev.mhc.hf;

import ai.djl.Device;
import dev.mhc.hf.config.ConfigOverrides;
import dev.mhc.hf.patches.PatchRegistry;
import dev.mhc.hf.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link AutoModel} builds and loads: strictness, the architecture (when it should differ
 * from config.json's), config overrides, named patches and the registries to use.
 */
public final class LoadOptions {

    /** A named patch to apply, with the options handed to it. */
    public record PatchCall(String name, Map<String, Object> options) {}

    boolean strict = true;
    boolean strictConfig;
    long seed;
    boolean allowNonFiniteWeights;
    String architecture;
    ConfigOverrides overrides = ConfigOverrides.none();
    final List<PatchCall> patches = new ArrayList<>();
    ModelRegistry registry = ModelRegistry.global();
    PatchRegistry patchRegistry = PatchRegistry.global();
    Device device;

    public static LoadOptions defaults() {
        return new LoadOptions();
    }

    /** Whether missing and unexpected checkpoint keys are errors (default true). */
    public LoadOptions strict(boolean strict) {
        this.strict = strict;
        return this;
    }

    /**
     * Whether config.json keys this library does not know refuse the load (default false: they
     * load, and {@link LoadReport#unknownConfigKeys()} names them). Keys known to change the
     * computation in a way the library does not implement are refused either way.
     */
    public LoadOptions strictConfig(boolean strictConfig) {
        this.strictConfig = strictConfig;
        return this;
    }

    /**
     * The seed of the random weights a load makes: all of them for {@link AutoModel#fromConfig}, the
     * ones a checkpoint lacks otherwise (a new task head); default 0, so that two loads agree.
     */
    public LoadOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Whether checkpoint tensors holding NaN or infinite values load (listed in the load report's
     * {@code nonFinite}) instead of failing the load (default false: they fail it, naming the tensor).
     */
    public LoadOptions allowNonFiniteWeights(boolean allow) {
        this.allowNonFiniteWeights = allow;
        return this;
    }

    /**
     * Builds this architecture instead of config.json's, e.g. {@code
     * "BertForSequenceClassification"} on a base checkpoint (load non-strict: the head is new).
     */
    public LoadOptions architecture(String architecture) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        return this;
    }

    /** Overrides applied to config.json before the model is built ({@code model.*} keys). */
    public LoadOptions overrides(Map<String, ?> modelOverrides) {
        this.overrides = ConfigOverrides.of(modelOverrides);
        return this;
    }

    public LoadOptions overrides(ConfigOverrides overrides) {
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        return this;
    }

    /**
     * Applies the patch registered as (model type, {@code name}): a pre-init patch to the config,
     * a post-init patch to the loaded model. An option the patch does not declare is refused before
     * loading (with the nearest declared one), as is a patch the model type does not have.
     */
    public LoadOptions patch(String name, Map<String, ?> options) {
        patches.add(new PatchCall(name, new LinkedHashMap<>(options)));
        return this;
    }

    /**
     * The device the weights live on and the model computes on; by default DJL's (a GPU when
     * PyTorch sees one, else the CPU). Loading refuses a GPU that PyTorch does not see.
     */
    public LoadOptions device(Device device) {
        this.device = Objects.requireNonNull(device, "device");
        return this;
    }

    public LoadOptions registry(ModelRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    public LoadOptions patchRegistry(PatchRegistry patchRegistry) {
        this.patchRegistry = Objects.requireNonNull(patchRegistry, "patchRegistry");
        return this;
    }
}
