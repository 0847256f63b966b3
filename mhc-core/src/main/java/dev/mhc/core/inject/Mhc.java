package dev.mhc.core.inject;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.Adapters;
import dev.mhc.core.module.Selector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The facade: inject hyper-connections by history mixing into the layers of a model, remove them,
 * reach their parameters, save and load them.
 *
 * <pre>{@code
 * Mhc.injectMhc(model, "BertLayer", 4);          // IDENTITY, epsilon 0.1
 * Mhc.builder().target("GPT2Block").maxHistory(4).detachHistory(true).inject(model);
 * Mhc.save(model, dir);  Mhc.load(freshModel, dir);  Mhc.remove(model);
 * }</pre>
 */
public final class Mhc {

    private Mhc() {}

    /** Wraps every block of class {@code targetClass} with H = {@code maxHistory} and defaults. */
    public static Block injectMhc(Block model, String targetClass, int maxHistory) {
        builder().target(targetClass).maxHistory(maxHistory).inject(model);
        return model;
    }

    /** As {@link #injectMhc(Block, String, int)} on the model's block. */
    public static Model injectMhc(Model model, String targetClass, int maxHistory) {
        injectMhc(model.getBlock(), targetClass, maxHistory);
        return model;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The kind behind this facade, for code that handles every kind alike. */
    public static AdapterKind<MhcConfig, InjectedMHC> kind() {
        return MhcKind.INSTANCE;
    }

    /** @return the injected layers of the model, in tree order */
    public static List<InjectedMHC> layers(Block model) {
        return Adapters.layers(model, MhcKind.INSTANCE);
    }

    /** @return the mixing parameters by key ({@code encoder.layer.0.mhc_alpha}), in tree order */
    public static Map<String, Parameter> parameters(Block model) {
        return Adapters.parameters(model, MhcKind.INSTANCE);
    }

    /**
     * @return the mixing parameters that can never receive a gradient: each layer keeps exactly H
     *     weights (the card's promise, and one shape for every layer in saves and reports), but the
     *     first H - 1 layers mix fewer entries than H (see {@link Mixing#unusedInLayer})
     */
    public static long unusedParameters(Block model) {
        return layers(model).stream().mapToLong(InjectedMHC::unusedParameters).sum();
    }

    /**
     * Puts every wrapped layer back and unhooks the root; afterwards the model computes exactly
     * what it did before injection.
     *
     * @return the number of layers unwrapped
     */
    public static int remove(Block model) {
        return Adapters.remove(model, MhcKind.INSTANCE);
    }

    /**
     * Writes {@code mhc_config.json} and {@code mhc_weights.safetensors} (keys: layer path +
     * parameter name) into {@code dir}, replacing an earlier save as one unit.
     */
    public static void save(Block model, Path dir) throws IOException {
        Adapters.save(model, MhcKind.INSTANCE, dir);
    }

    /**
     * Injects, onto a model without mHC, the layers recorded in {@code dir} with their learned
     * weights, matched by path. Refuses a model whose layers do not match what was saved before
     * changing it.
     *
     * @throws IOException when a file is missing, unreadable or malformed (naming it)
     * @throws IllegalArgumentException when the save does not fit this model (naming the layers)
     */
    public static List<InjectedMHC> load(Block model, Path dir) throws IOException {
        return Adapters.load(model, MhcKind.INSTANCE, dir);
    }

    /** The builder form: target, H, constraint and the rest. */
    public static final class Builder {
        private Selector target;
        private int maxHistory = MhcConfig.DEFAULT_HISTORY;
        private Constraint constraint = Constraint.IDENTITY;
        private double epsilon = MhcConfig.DEFAULT_EPSILON;
        private double temperature = 1.0;
        private SimplexInit simplexInit = SimplexInit.UNIFORM;
        private boolean detachHistory;
        private boolean gate;

        private Builder() {}

        /** Targets blocks by simple class name, e.g. {@code "BertLayer"}. */
        public Builder target(String className) {
            return target(Selector.byClassName(className));
        }

        /** Targets instances of a class. */
        public Builder target(Class<?> type) {
            return target(Selector.byClass(type));
        }

        /** Targets blocks whose whole dotted path matches {@code regex}. */
        public Builder targetPaths(String regex) {
            return target(Selector.byPathRegex(regex));
        }

        public Builder target(Selector selector) {
            this.target = Objects.requireNonNull(selector, "selector");
            return this;
        }

        public Builder maxHistory(int maxHistory) {
            this.maxHistory = maxHistory;
            return this;
        }

        public Builder constraint(Constraint constraint) {
            this.constraint = constraint;
            return this;
        }

        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder simplexInit(SimplexInit simplexInit) {
            this.simplexInit = simplexInit;
            return this;
        }

        public Builder detachHistory(boolean detachHistory) {
            this.detachHistory = detachHistory;
            return this;
        }

        public Builder gate(boolean gate) {
            this.gate = gate;
            return this;
        }

        /** @return the validated settings */
        public MhcConfig config() {
            return new MhcConfig(
                    maxHistory, constraint, epsilon, temperature, simplexInit, detachHistory, gate);
        }

        /** Injects into {@code model}; @return the wrapped layers in tree order */
        public List<InjectedMHC> inject(Block model) {
            if (target == null) {
                throw new IllegalStateException(
                        "no target set; call target(\"BertLayer\") or another target method");
            }
            return Adapters.inject(model, MhcKind.INSTANCE, target, config());
        }
    }
}
