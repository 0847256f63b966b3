package dev.mhc.hf.patches;

import dev.mhc.core.text.Suggestions;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelRegistry;
import dev.mhc.hf.unpad.UnpadPatch;
import ai.djl.nn.Block;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named patches per model type (the Python original's {@code MONKEY_PATCHER}): a strategy such as
 * {@code "mhc"} registered for {@code "bert"} and applied by name from configuration.
 *
 * <p>Each (model type, patch name) pair holds one patch with one {@link PatchStage}. A patch
 * declares the option names it accepts and receives only those, so callers can hand every patch
 * the same options map. Applying a patch twice to the same object does nothing the second time
 * (tracked by identity and weakly), which makes patches safe to apply from several code paths.
 * Patches run one at a time; re-registering a pair does not undo earlier applications.
 */
public final class PatchRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PatchRegistry.class);
    private static final PatchRegistry GLOBAL = builtIns(new PatchRegistry());

    private record Entry(
            PatchStage stage,
            Set<String> options,
            Class<?> configClass,
            PreInitPatch<Object> preInit,
            PostInitPatch postInit) {}

    private final Map<String, Entry> patches = new ConcurrentHashMap<>();
    private final AppliedPatches applied = new AppliedPatches();

    /** @return the process-wide registry; safe to use from any thread */
    public static PatchRegistry global() {
        return GLOBAL;
    }

    /**
     * Registers a patch on the config of {@code modelType}, run before the model is built.
     *
     * @param configClass the model type's config record, checked when the patch is applied
     */
    public <C> void registerPreInit(
            String modelType,
            String name,
            Class<C> configClass,
            Set<String> options,
            PreInitPatch<C> patch) {
        Objects.requireNonNull(configClass, "configClass");
        Objects.requireNonNull(patch, "patch");
        PreInitPatch<Object> typed = (config, opts) -> patch.apply(configClass.cast(config), opts);
        put(
                modelType,
                name,
                new Entry(PatchStage.PRE_INIT, Set.copyOf(options), configClass, typed, null));
    }

    /** Registers a patch on a built model of {@code modelType}. */
    public void registerPostInit(
            String modelType, String name, Set<String> options, PostInitPatch patch) {
        Objects.requireNonNull(patch, "patch");
        put(
                modelType,
                name,
                new Entry(PatchStage.POST_INIT, Set.copyOf(options), null, null, patch));
    }

    /**
     * Runs a pre-init patch on {@code config} and returns the config to build from. On a config
     * the patch has already seen (as input or as output), it returns that earlier result.
     */
    public <C> C applyPreInit(String modelType, String name, C config, Map<String, ?> options) {
        Objects.requireNonNull(config, "config");
        Entry entry = entry(modelType, name, PatchStage.PRE_INIT);
        if (!entry.configClass().isInstance(config)) {
            throw new IllegalArgumentException(
                    "patch "
                            + label(modelType, name)
                            + " expects a "
                            + entry.configClass().getSimpleName()
                            + ", got a "
                            + config.getClass().getSimpleName()
                            + "; pass the config of model type \""
                            + modelType
                            + "\"");
        }
        PatchOptions selected = select(modelType, name, entry, options);
        synchronized (this) {
            AppliedPatches.Application earlier = applied.find(config, key(modelType, name));
            Object result = earlier == null ? null : earlier.result().get();
            if (result != null) {
                skip(modelType, name, earlier, selected);
                return cast(result);
            }
            Object patched = entry.preInit().apply(config, selected);
            if (patched == null) {
                throw new IllegalStateException(
                        "pre-init patch "
                                + label(modelType, name)
                                + " returned null; it must return"
                                + " the config to build from (the same one if it changes nothing)");
            }
            AppliedPatches.Application application =
                    new AppliedPatches.Application(selected.asMap(), new WeakReference<>(patched));
            applied.record(config, key(modelType, name), application);
            applied.record(patched, key(modelType, name), application);
            return cast(patched);
        }
    }

    public <C> C applyPreInit(String modelType, String name, C config) {
        return applyPreInit(modelType, name, config, Map.of());
    }

    /** Runs a post-init patch on {@code model}; on a model it has already patched, does nothing. */
    public void applyPostInit(String modelType, String name, Block model, Map<String, ?> options) {
        Objects.requireNonNull(model, "model");
        Entry entry = entry(modelType, name, PatchStage.POST_INIT);
        PatchOptions selected = select(modelType, name, entry, options);
        synchronized (this) {
            AppliedPatches.Application earlier = applied.find(model, key(modelType, name));
            if (earlier != null) {
                skip(modelType, name, earlier, selected);
                return;
            }
            entry.postInit().apply(model, selected);
            applied.record(
                    model,
                    key(modelType, name),
                    new AppliedPatches.Application(selected.asMap(), new WeakReference<>(null)));
        }
    }

    public void applyPostInit(String modelType, String name, Block model) {
        applyPostInit(modelType, name, model, Map.of());
    }

    /**
     * Refuses options that patch {@code name} does not declare (a misspelt one would be dropped
     * silently), naming the nearest declared option; and a patch not registered for the model type.
     */
    public void checkOptions(String modelType, String name, Map<String, ?> options) {
        Entry entry = patches.get(key(modelType, name));
        if (entry == null) {
            throw new IllegalArgumentException("no patch \"" + name + "\" for model type \"" + modelType
                    + "\"; registered: " + registered());
        }
        for (String option : options.keySet()) {
            if (!entry.options().contains(option)) {
                String near = Suggestions.closest(option, entry.options());
                throw new IllegalArgumentException("patch " + label(modelType, name) + " has no option \"" + option
                        + "\"" + (near == null ? "" : " (did you mean \"" + near + "\"?)") + "; its options: "
                        + new TreeSet<>(entry.options()));
            }
        }
    }

    /** @return whether this patch has run on (or produced) {@code target} */
    public boolean isApplied(Object target, String modelType, String name) {
        return applied.find(target, key(modelType, name)) != null;
    }

    /** @return the stage of a registered patch, or empty when there is none */
    public Optional<PatchStage> stage(String modelType, String name) {
        return Optional.ofNullable(patches.get(key(modelType, name))).map(Entry::stage);
    }

    /** @return the registered pairs as {@code modelType/name}, sorted */
    public Set<String> registered() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(patches.keySet()));
    }

    private void put(String modelType, String name, Entry entry) {
        requireName("model type", modelType);
        requireName("patch name", name);
        Entry previous = patches.put(key(modelType, name), entry);
        if (previous != null) {
            LOG.warn(
                    "patch {} was already registered ({}); the new {} patch replaces it",
                    label(modelType, name),
                    previous.stage(),
                    entry.stage());
        }
    }

    private Entry entry(String modelType, String name, PatchStage stage) {
        Entry entry = patches.get(key(modelType, name));
        if (entry == null) {
            throw new IllegalArgumentException(
                    "no patch \""
                            + name
                            + "\" for model type \""
                            + modelType
                            + "\"; registered: "
                            + registered()
                            + ". Register it (registerPreInit / registerPostInit)"
                            + " before applying it, or fix the names");
        }
        if (entry.stage() != stage) {
            throw new IllegalArgumentException(
                    "patch "
                            + label(modelType, name)
                            + " is a "
                            + entry.stage()
                            + " patch; apply it"
                            + (entry.stage() == PatchStage.PRE_INIT
                                    ? " to the config with applyPreInit before building the model"
                                    : " to the built model with applyPostInit"));
        }
        return entry;
    }

    private static PatchOptions select(
            String modelType, String name, Entry entry, Map<String, ?> options) {
        PatchOptions selected = PatchOptions.of(label(modelType, name), entry.options(), options);
        if (LOG.isDebugEnabled() && selected.asMap().size() < options.size()) {
            Set<String> ignored = new TreeSet<>(options.keySet());
            ignored.removeAll(entry.options());
            LOG.debug("patch {} ignores options {}", label(modelType, name), ignored);
        }
        return selected;
    }

    private static void skip(
            String modelType, String name, AppliedPatches.Application earlier, PatchOptions now) {
        if (!earlier.options().equals(now.asMap())) {
            LOG.warn(
                    "patch {} was already applied to this target with options {}; the new"
                            + " application with {} is skipped",
                    label(modelType, name),
                    earlier.options(),
                    now.asMap());
        }
    }

    @SuppressWarnings("unchecked") // what a PreInitPatch<C> returned for a C is a C
    private static <C> C cast(Object patched) {
        return (C) patched;
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank() || value.contains("/")) {
            throw new IllegalArgumentException(
                    what + " must be non-blank and contain no '/', got \"" + value + "\"");
        }
    }

    private static String key(String modelType, String name) {
        return modelType + "/" + name;
    }

    private static String label(String modelType, String name) {
        return "\"" + name + "\" for model type \"" + modelType + "\"";
    }

    /** The patches the library ships: mHC on every built-in family's layers; unpad on BERT. */
    private static PatchRegistry builtIns(PatchRegistry registry) {
        ModelRegistry families = ModelRegistry.global();
        for (String modelType : families.modelTypes()) {
            ModelFamily<?> family = families.family(modelType);
            registry.registerPostInit(
                    family.modelType(), MhcPatch.NAME, MhcPatch.OPTIONS, MhcPatch.forLayer(family.layerClass()));
        }
        registry.registerPostInit("bert", UnpadPatch.NAME, UnpadPatch.OPTIONS, (model, options) -> UnpadPatch.apply(model));
        return registry;
    }
}
