package dev.mhc.hf.registry;

import dev.mhc.hf.config.ConfigKeys;
import dev.mhc.hf.config.HfConfigs;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model family as HF's {@code model_type} names it: the config record every architecture of the
 * family reads, and the architectures themselves. This is what {@code register_model} binds in
 * the Python original; a family object replaces its side effect on the auto classes.
 *
 * <h2>Adding a model family</h2>
 *
 * <ol>
 *   <li>Write its config record in a package of its own ({@code dev.mhc.hf.gpt2}), with HF's
 *       snake_case keys as record components, HF's defaults for absent keys ({@link
 *       dev.mhc.hf.config.ConfigDefaults}), impossible values refused in the constructor, and an
 *       {@code @JsonAnySetter} map for the keys it does not use. Declare with {@code configKeys} the
 *       keys it does not bind that change nothing (inert, with why) or that are refused unless at
 *       HF's default ({@link ConfigKeys}); any other key is reported as unknown on load.
 *   <li>Write its blocks as {@code dev.mhc.core.module.Module}s named as HF names them (classes
 *       {@code GPT2Block}, children {@code c_attn}, {@code ln_1}), so that state-dict keys match
 *       HF checkpoints and class-name targeting works; each forward reads like the HF modeling
 *       file ({@code f.call("c_proj", act.apply(f.call("c_fc", x)))}).
 *   <li>Declare the family: {@code ModelFamily.builder(modelType, ConfigClass.class)}, one {@code
 *       architecture(name, kind, constructor)} per HF class in {@code architectures}, the task
 *       models' {@code basePrefix} and the repeated {@code layerClass} (see {@code GPT2Family}).
 *   <li>Register it: a class implementing {@link FamilySource}, named in {@code
 *       META-INF/services/dev.mhc.hf.registry.FamilySource} (how the built-in families and any
 *       jar's are found), or, from user code, {@code ModelRegistry.global().register(family)}; {@code AutoModel} then picks it by {@code
 *       model_type} and the class by {@code architectures}, and the {@code mhc} patch applies.
 *   <li>Prove it against Hugging Face: a tiny checkpoint made with transformers' own modeling
 *       code, its inputs and outputs, matched to about 1e-6 (see the fixture tests).
 * </ol>
 *
 * @param <C> the config record, bound from config.json by {@link HfConfigs}
 */
public final class ModelFamily<C> {

    private final String modelType;
    private final Class<C> configClass;
    private final Map<String, Architecture<C>> architectures;
    private final String defaultArchitecture;
    private final String basePrefix;
    private final String layerClass;
    private final ConfigKeys configKeys;

    private ModelFamily(Builder<C> builder) {
        this.modelType = builder.modelType;
        this.configClass = builder.configClass;
        this.architectures =
                Collections.unmodifiableMap(new LinkedHashMap<>(builder.architectures));
        this.defaultArchitecture = builder.defaultArchitecture;
        this.basePrefix = builder.basePrefix;
        this.layerClass = builder.layerClass;
        this.configKeys = ConfigKeys.COMMON.with(builder.configKeys);
    }

    /** Starts a family; add at least one architecture. */
    public static <C> Builder<C> builder(String modelType, Class<C> configClass) {
        return new Builder<>(modelType, configClass);
    }

    public String modelType() {
        return modelType;
    }

    public Class<C> configClass() {
        return configClass;
    }

    /**
     * @return the base model's attribute name in task models ({@code "bert"}), the prefix HF puts
     *     on base keys in task checkpoints; "" if the family has none
     */
    public String basePrefix() {
        return basePrefix;
    }

    /** @return the simple class name of the family's repeated layer, mHC's natural target */
    public String layerClass() {
        return layerClass;
    }

    /**
     * @return what the family knows of config.json keys its record does not bind: HF's common keys
     *     and the family's own, inert or refused unless at HF's default
     */
    public ConfigKeys configKeys() {
        return configKeys;
    }

    /** @return the architectures by name, in registration order */
    public Map<String, Architecture<C>> architectures() {
        return architectures;
    }

    /** @return the architecture used when config.json names none */
    public Architecture<C> defaultArchitecture() {
        return architectures.get(defaultArchitecture);
    }

    /** @return the architecture called {@code name}; the error lists those the family has */
    public Architecture<C> architecture(String name) {
        Architecture<C> architecture = name == null ? null : architectures.get(name);
        if (architecture == null) {
            throw new IllegalArgumentException(
                    "model type \""
                            + modelType
                            + "\" has no architecture \""
                            + name
                            + "\"; registered: "
                            + architectures.keySet()
                            + ". Set \"architectures\" in config.json to one of these, or register"
                            + " a factory for it with ModelFamily.builder(...).architecture(...)");
        }
        return architecture;
    }

    /**
     * Picks the architecture config.json asks for: the first of its {@code architectures} list, as
     * HF does, or the default when the list is null or empty (hand-written configs often omit it).
     */
    public Architecture<C> resolve(List<String> architecturesFromConfig) {
        if (architecturesFromConfig == null || architecturesFromConfig.isEmpty()) {
            return defaultArchitecture();
        }
        return architecture(architecturesFromConfig.get(0));
    }

    @Override
    public String toString() {
        return "ModelFamily["
                + modelType
                + ", "
                + configClass.getSimpleName()
                + ", "
                + architectures.keySet()
                + "]";
    }

    /** Collects the architectures; the first one added is the default unless one is named. */
    public static final class Builder<C> {
        private final String modelType;
        private final Class<C> configClass;
        private final Map<String, Architecture<C>> architectures = new LinkedHashMap<>();
        private String defaultArchitecture;
        private String basePrefix = "";
        private String layerClass;
        private ConfigKeys configKeys = ConfigKeys.builder().build();

        private Builder(String modelType, Class<C> configClass) {
            if (modelType == null || modelType.isBlank()) {
                throw new IllegalArgumentException(
                        "model type must be non-blank, as config.json's \"model_type\" spells it"
                                + " (e.g. \"bert\"); got \""
                                + modelType
                                + "\"");
            }
            this.modelType = modelType;
            this.configClass = Objects.requireNonNull(configClass, "configClass");
        }

        public Builder<C> architecture(String name, ModelKind kind, ModelFactory<C> factory) {
            Architecture<C> architecture = new Architecture<>(name, kind, factory);
            if (architectures.putIfAbsent(name, architecture) != null) {
                throw new IllegalArgumentException(
                        "architecture \""
                                + name
                                + "\" is added twice to model type \""
                                + modelType
                                + "\"; add each architecture once");
            }
            return this;
        }

        /** The base model's attribute name in task models, e.g. {@code "bert"}. */
        public Builder<C> basePrefix(String prefix) {
            this.basePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** The repeated layer's simple class name, e.g. {@code "BertLayer"}. */
        public Builder<C> layerClass(String simpleName) {
            this.layerClass = Objects.requireNonNull(simpleName, "simpleName");
            return this;
        }

        /** The family's own config.json keys that its record does not bind (see {@link ConfigKeys}). */
        public Builder<C> configKeys(ConfigKeys keys) {
            this.configKeys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        public Builder<C> defaultArchitecture(String name) {
            this.defaultArchitecture = Objects.requireNonNull(name, "name");
            return this;
        }

        public ModelFamily<C> build() {
            if (architectures.isEmpty()) {
                throw new IllegalStateException(
                        "model type \""
                                + modelType
                                + "\" has no architecture; add one with"
                                + " architecture(name, kind, factory) before build()");
            }
            if (defaultArchitecture == null) {
                defaultArchitecture = architectures.keySet().iterator().next();
            } else if (!architectures.containsKey(defaultArchitecture)) {
                throw new IllegalStateException(
                        "default architecture \""
                                + defaultArchitecture
                                + "\" of model type \""
                                + modelType
                                + "\" is not among its architectures "
                                + architectures.keySet()
                                + "; add it or name one of these");
            }
            return new ModelFamily<>(this);
        }
    }
}
