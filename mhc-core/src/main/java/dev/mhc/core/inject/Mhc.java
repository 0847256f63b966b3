package dev.mhc.core.inject;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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

    /** @return the injected layers of the model, in tree order */
    public static List<InjectedMHC> layers(Block model) {
        List<InjectedMHC> layers = new ArrayList<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            if (entry.block() instanceof InjectedMHC layer) {
                layers.add(layer);
            }
        }
        return layers;
    }

    /** @return the mixing parameters by key ({@code encoder.layer.0.mhc_alpha}), in tree order */
    public static Map<String, Parameter> parameters(Block model) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (InjectedMHC layer : layers(model)) {
            parameters.put(layer.path() + "." + InjectedMHC.ALPHA, layer.alpha());
            if (layer.gate() != null) {
                parameters.put(layer.path() + "." + InjectedMHC.GATE, layer.gate());
            }
        }
        return parameters;
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
     * Puts every wrapped layer back; afterwards the model computes exactly what it did before
     * injection.
     *
     * @return the number of layers unwrapped
     */
    public static int remove(Block model) {
        Set<Injection> injections = new LinkedHashSet<>();
        List<ModuleTree.Entry> wrapped = new ArrayList<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            if (entry.block() instanceof InjectedMHC layer) {
                wrapped.add(entry);
                injections.add(layer.injection());
            }
        }
        for (ModuleTree.Entry entry : wrapped) {
            ModuleTree.replace(entry, ((InjectedMHC) entry.block()).wrapped());
        }
        injections.forEach(Injection::detachFromRoot);
        return wrapped.size();
    }

    /**
     * Writes {@code mhc_config.json} and {@code mhc_weights.safetensors} (keys: layer path +
     * parameter name) into {@code dir}, each through a temporary file renamed into place.
     */
    public static void save(Block model, Path dir) throws IOException {
        MhcCheckpoint.save(model, dir);
    }

    /**
     * Injects, onto a model without mHC, the layers recorded in {@code dir} with their learned
     * weights. Refuses a model whose layers do not match what was saved, before changing it.
     */
    public static void load(Block model, Path dir) throws IOException {
        MhcCheckpoint.load(model, dir);
    }

    /** Wraps the selected blocks; shared by the builder and {@link MhcCheckpoint}. */
    static List<InjectedMHC> inject(Block model, Selector target, MhcConfig config) {
        Objects.requireNonNull(model, "model");
        if (!(model instanceof Module root)) {
            throw new IllegalArgumentException(
                    "the model's root block ("
                            + model.getClass().getSimpleName()
                            + ") must be a "
                            + Module.class.getName()
                            + ": mHC hooks its forward to start a fresh history for every call");
        }
        List<ModuleTree.Entry> targets = ModuleTree.select(model, target);
        checkInjectable(targets);
        NDManager manager = parameterManager(model);
        Injection injection = new Injection(config, root);
        List<InjectedMHC> layers = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            ModuleTree.Entry entry = targets.get(i);
            InjectedMHC layer = new InjectedMHC(entry.block(), entry.path(), i + 1, injection, manager);
            ModuleTree.replace(entry, layer);
            layers.add(layer);
        }
        return layers;
    }

    /** Fails, before anything changes, on what could only be injected halfway or twice. */
    private static void checkInjectable(List<ModuleTree.Entry> targets) {
        for (ModuleTree.Entry entry : targets) {
            if (entry.block() instanceof InjectedMHC || entry.parent() instanceof InjectedMHC) {
                throw new IllegalStateException(
                        "mHC is already injected at \""
                                + entry.path()
                                + "\"; call Mhc.remove(model) before injecting again");
            }
            if (entry.parent() == null) {
                throw new IllegalArgumentException(
                        "the target selects the model's root block ("
                                + entry.className()
                                + "); select its layers instead, e.g. by their class name");
            }
            ModuleTree.checkReplaceable(entry);
        }
        for (ModuleTree.Entry outer : targets) {
            for (ModuleTree.Entry inner : targets) {
                if (outer != inner && inner.path().startsWith(outer.path() + ".")) {
                    throw new IllegalArgumentException(
                            "the target selects nested blocks (\""
                                    + inner.path()
                                    + "\" inside \""
                                    + outer.path()
                                    + "\"); mHC mixes across disjoint layers: select one level");
                }
            }
        }
    }

    private static NDManager parameterManager(Block model) {
        for (Parameter parameter : model.getParameters().values()) {
            if (parameter.isInitialized()) {
                return parameter.getArray().getManager();
            }
        }
        throw new IllegalStateException(
                "the model has no initialised parameters to take an NDManager from; initialise or"
                        + " load it before injecting mHC");
    }

    /** The builder form: target, H, constraint and the rest. */
    public static final class Builder {
        private Selector target;
        private int maxHistory = 4;
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
            return Mhc.inject(model, target, config());
        }
    }
}
