package dev.mhc.hf.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model families by {@code model_type}, so that loading dispatches on config.json alone. Java has
 * no import-time side effects, so families are registered explicitly: into {@link #global()} by the
 * library, or into a fresh instance in tests.
 */
public final class ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    private static final ModelRegistry GLOBAL = builtIns();

    private final Map<String, ModelFamily<?>> families = new ConcurrentHashMap<>();

    /** The families every {@link FamilySource} on the class path names, in service-file order. */
    private static ModelRegistry builtIns() {
        ModelRegistry registry = new ModelRegistry();
        ServiceLoader.load(FamilySource.class, ModelRegistry.class.getClassLoader())
                .forEach(source -> registry.register(source.family()));
        return registry;
    }

    /** @return the process-wide registry; safe to use from any thread */
    public static ModelRegistry global() {
        return GLOBAL;
    }

    /** Adds a family; another family for the same model type replaces it, with a warning. */
    public void register(ModelFamily<?> family) {
        Objects.requireNonNull(family, "family");
        ModelFamily<?> previous = families.put(family.modelType(), family);
        if (previous != null && previous != family) {
            LOG.warn(
                    "model type \"{}\" was already registered ({}); {} replaces it",
                    family.modelType(),
                    previous,
                    family);
        }
    }

    /** @return the family of {@code modelType}; the error lists the registered model types */
    public ModelFamily<?> family(String modelType) {
        ModelFamily<?> family = modelType == null ? null : families.get(modelType);
        if (family == null) {
            throw new IllegalArgumentException(
                    "unknown model_type \""
                            + modelType
                            + "\"; registered: "
                            + modelTypes()
                            + ". Check \"model_type\" in config.json, or register a ModelFamily for"
                            + " it with ModelRegistry.register(...) before loading");
        }
        return family;
    }

    /** @return a sorted snapshot of the registered model types */
    public Set<String> modelTypes() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(families.keySet()));
    }
}
