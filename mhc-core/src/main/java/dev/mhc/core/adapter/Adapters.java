package dev.mhc.core.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.io.AtomicDirectory;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.NoMatchingBlockException;
import dev.mhc.core.module.Selector;
import dev.mhc.core.nn.MemoryBudget;
import dev.mhc.core.nn.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one lifecycle of every injection kind, in the manner of PEFT's {@code BaseTuner}: select
 * targets, check them all before changing anything, wrap, list, parameters by key, remove, save,
 * load. Saving and loading use one key mapping both ways ({@code prefix + path + "." + name}), and
 * match saved entries to layers by path; a refused load leaves the model exactly as it was.
 */
public final class Adapters {

    private Adapters() {}

    /**
     * Wraps every block {@code target} selects that the kind {@link AdapterKind#adapts adapts}.
     * Every target is checked before the tree changes; on failure the tree is as it was.
     *
     * @return the wrappers, in tree order
     * @throws NoMatchingBlockException when the selector matches nothing the kind can wrap
     */
    public static <C, L extends AdapterLayer> List<L> inject(
            Block model, AdapterKind<C, L> kind, Selector target, C settings) {
        Objects.requireNonNull(settings, "settings");
        return injectTargets(model, kind, target, targets(model, kind, target), settings);
    }

    /** @return the kind's wrappers in the model, in tree order */
    public static <L extends AdapterLayer> List<L> layers(Block model, AdapterKind<?, L> kind) {
        List<L> layers = new ArrayList<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            if (kind.layerType().isInstance(entry.block())) {
                layers.add(kind.layerType().cast(entry.block()));
            }
        }
        return layers;
    }

    /**
     * @return the kind's parameters by state-dict key in {@code model} ({@code encoder.layer.0.mhc_alpha}),
     *     in tree order: named from {@code model} even where the adapters were injected into a block
     *     inside it (an encoder inside a classifier), so the keys are those of {@link ModuleTree#parameters}
     */
    public static Map<String, Parameter> parameters(Block model, AdapterKind<?, ?> kind) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            if (kind.layerType().isInstance(entry.block())) {
                ((AdapterLayer) entry.block()).ownParameters()
                        .forEach((name, p) -> parameters.put(entry.path() + "." + name, p));
            }
        }
        return parameters;
    }

    /**
     * Makes the own parameters of every injected layer of every kind ({@link AdapterKinds}) trainable:
     * what a training run calls after its injections, so that a layer injected earlier (by a load
     * patch, say) is trained too, though a later injection (LoRA's) froze it.
     */
    public static void unfreezeInjected(Block model) {
        for (AdapterKind<?, ?> kind : AdapterKinds.all()) {
            parameters(model, kind).values().forEach(p -> p.freeze(false));
        }
    }

    /**
     * Puts every wrapped block of this kind back; afterwards the model computes what it did
     * before injection.
     *
     * @return the number of wrappers removed
     */
    public static int remove(Block model, AdapterKind<?, ?> kind) {
        List<ModuleTree.Entry> wrapped = new ArrayList<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            if (kind.layerType().isInstance(entry.block())) {
                wrapped.add(entry);
            }
        }
        for (ModuleTree.Entry entry : wrapped) {
            AdapterLayer layer = (AdapterLayer) entry.block();
            layer.beforeRemoval();
            ModuleTree.replace(entry, layer.wrapped());
        }
        return wrapped.size();
    }

    /**
     * Writes the kind's config file and weights file into {@code dir} as one unit (see {@link
     * AtomicDirectory}). A directory holds one save: another kind's files there ({@link
     * AdapterKinds}) are replaced with it; other files are kept. Refuses non-finite weights.
     */
    public static <C, L extends AdapterLayer> void save(Block model, AdapterKind<C, L> kind, Path dir)
            throws IOException {
        List<L> layers = layers(model, kind);
        if (layers.isEmpty()) {
            throw new IllegalStateException("the model has no " + kind.name() + " layers to save; inject "
                    + kind.name() + " first");
        }
        kind.settings(layers); // refuses layers of several injections
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        parameters(layers, kind.keyPrefix()).forEach((key, p) -> tensors.put(key, finite(kind, key, p.getArray())));
        byte[] config = kind.writeConfig(layers);
        Set<String> owned = new HashSet<>(Set.of(kind.configFile(), kind.weightsFile()));
        AdapterKinds.all().forEach(other -> owned.addAll(List.of(other.configFile(), other.weightsFile())));
        AtomicDirectory.replace(dir, owned, staging -> {
            SafetensorsWriter.write(staging.resolve(kind.weightsFile()), tensors, kind.weightsMetadata());
            Files.write(staging.resolve(kind.configFile()), config);
        });
    }

    /**
     * Injects, onto a model without this kind, the layers saved in {@code dir} with their
     * weights. Before the model changes, the saved layers are matched to the model's by path and
     * the weights checked against the shapes the wrappers will have; duplicates, missing or extra
     * layers or keys, wrong shapes and non-finite values are refused with what was wrong. A load
     * that fails later still leaves the model as it was (wrappers removed, freezing restored).
     *
     * @return the wrappers, in tree order
     */
    public static <C, L extends AdapterLayer> List<L> load(Block model, AdapterKind<C, L> kind, Path dir)
            throws IOException {
        Path source = AtomicDirectory.forReading(dir);
        Path configFile = source.resolve(kind.configFile());
        Path weightsFile = source.resolve(kind.weightsFile());
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new IOException("a saved " + kind.name() + " directory holds " + kind.configFile() + " and "
                    + kind.weightsFile() + "; " + dir + " lacks "
                    + (Files.isRegularFile(configFile) ? kind.weightsFile() : kind.configFile()));
        }
        SavedAdapter<C> saved = kind.readConfig(configFile);
        if (!layers(model, kind).isEmpty()) {
            throw new IllegalStateException("the model already has " + kind.name() + " layers; load onto a model"
                    + " without them (or remove them first)");
        }
        List<ModuleTree.Entry> targets = savedTargets(model, kind, saved, dir);
        Map<String, float[]> values = readWeights(kind, weightsFile, targets, saved.settings());
        Map<Parameter, Boolean> trainable = trainableFlags(model);
        try {
            List<L> layers = injectTargets(model, kind, saved.target(), targets, saved.settings());
            parameters(layers, kind.keyPrefix()).forEach((key, p) -> Weights.assign(p.getArray(), values.get(key)));
            return layers;
        } catch (RuntimeException | Error e) {
            remove(model, kind);
            restore(trainable);
            throw e;
        }
    }

    private static <C, L extends AdapterLayer> List<L> injectTargets(
            Block model, AdapterKind<C, L> kind, Selector target, List<ModuleTree.Entry> targets, C settings) {
        Module root = checkInjectable(model, kind, targets);
        List<Shape> shapes = new ArrayList<>();
        targets.forEach(t -> shapes.addAll(kind.parameterShapes(t, settings).values()));
        MemoryBudget.checkFromJava(shapes, kind.name() + " on " + targets.size() + " layers",
                "lower its sizes (rank, history, streams)");
        NDManager manager = parameterManager(model, kind);
        Map<Parameter, Boolean> trainable = trainableFlags(model);
        List<L> layers = List.of();
        int replaced = 0;
        try {
            kind.beforeWrapping(model, settings);
            layers = kind.wrap(root, target, targets, settings, manager);
            for (int i = 0; i < targets.size(); i++) {
                ModuleTree.replace(targets.get(i), layers.get(i));
                replaced++;
                layers.get(i).onInjected();
            }
            return layers;
        } catch (RuntimeException | Error e) {
            for (int i = 0; i < replaced; i++) {
                layers.get(i).beforeRemoval();
                ModuleTree.Entry entry = targets.get(i);
                ((Module) entry.parent()).replaceChild(entry.name(), entry.block());
            }
            restore(trainable);
            throw e;
        }
    }

    /** The blocks {@code target} selects that the kind can wrap, in tree order. */
    private static List<ModuleTree.Entry> targets(Block model, AdapterKind<?, ?> kind, Selector target) {
        List<ModuleTree.Entry> selected = ModuleTree.find(model, Objects.requireNonNull(target, "target"));
        List<ModuleTree.Entry> targets = new ArrayList<>();
        for (ModuleTree.Entry entry : selected) {
            if (kind.layerType().isInstance(entry.block()) || kind.layerType().isInstance(entry.parent())) {
                throw new IllegalStateException(kind.name() + " is already injected at \"" + entry.path()
                        + "\"; remove it before injecting again");
            }
            if (kind.adapts(entry)) {
                targets.add(entry);
            }
        }
        if (targets.isEmpty()) {
            String message = kind.nothingToAdapt(model, target);
            if (message == null) {
                ModuleTree.select(model, target); // throws, naming the classes the model has
                message = "no block selected by " + target.describe() + " can take " + kind.name();
            }
            throw new NoMatchingBlockException(message);
        }
        return targets;
    }

    /** Fails, before anything changes, on what could only be injected halfway or twice. */
    private static Module checkInjectable(Block model, AdapterKind<?, ?> kind, List<ModuleTree.Entry> targets) {
        if (!(model instanceof Module root)) {
            throw new IllegalArgumentException("the model's root block (" + model.getClass().getSimpleName()
                    + ") must be a " + Module.class.getName() + " to take " + kind.name());
        }
        Set<String> paths = new LinkedHashSet<>();
        for (ModuleTree.Entry entry : targets) {
            if (entry.parent() == null) {
                throw new IllegalArgumentException("the target selects the model's root block ("
                        + entry.className() + "); select its layers instead, e.g. by their class name");
            }
            ModuleTree.checkReplaceable(entry);
            if (!paths.add(entry.path())) {
                throw new IllegalArgumentException("\"" + entry.path() + "\" is selected twice");
            }
        }
        for (String outer : paths) {
            for (String inner : paths) {
                if (inner.startsWith(outer + ".")) {
                    throw new IllegalArgumentException("the target selects nested blocks (\"" + inner + "\" inside \""
                            + outer + "\"); " + kind.name() + " wraps disjoint blocks: select one level");
                }
            }
        }
        return root;
    }

    /**
     * The model's blocks the save was made for: what its target selects here, which must be
     * exactly the recorded layers (each once, of the recorded class) when the save records them.
     */
    private static <C> List<ModuleTree.Entry> savedTargets(
            Block model, AdapterKind<C, ?> kind, SavedAdapter<C> saved, Path dir) {
        List<ModuleTree.Entry> targets;
        try {
            targets = targets(model, kind, saved.target());
        } catch (NoMatchingBlockException e) {
            throw new IllegalArgumentException("the " + kind.name() + " save " + dir + " does not fit this model: "
                    + e.getMessage(), e);
        }
        if (saved.layers().isEmpty()) {
            return targets;
        }
        List<String> problems = new ArrayList<>();
        Map<String, ModuleTree.Entry> byPath = new LinkedHashMap<>();
        targets.forEach(t -> byPath.put(t.path(), t));
        Set<String> recorded = new LinkedHashSet<>();
        for (SavedAdapter.Layer layer : saved.layers()) {
            if (!recorded.add(layer.path())) {
                problems.add("\"" + layer.path() + "\" is recorded twice");
                continue;
            }
            ModuleTree.Entry entry = byPath.get(layer.path());
            if (entry == null) {
                problems.add("no " + layer.className() + " selected at \"" + layer.path() + "\"");
            } else if (!entry.className().equals(layer.className())) {
                problems.add("\"" + layer.path() + "\" is a " + entry.className() + ", saved for "
                        + layer.className());
            }
        }
        Set<String> extra = new TreeSet<>(byPath.keySet());
        extra.removeAll(recorded);
        if (!extra.isEmpty()) {
            problems.add(saved.target().describe() + " also selects " + extra + " here, which the save does not"
                    + " hold");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the " + kind.name() + " save " + dir + " does not fit this model: "
                    + String.join("; ", problems) + ". This model has " + byPath.keySet().stream()
                            .map(p -> p + " (" + byPath.get(p).className() + ")").collect(Collectors.toList())
                    + "; load it onto the architecture it was saved from.");
        }
        return targets;
    }

    /** Every weight of the targets' wrappers, read and checked against the shapes they will have. */
    private static <C> Map<String, float[]> readWeights(
            AdapterKind<C, ?> kind, Path file, List<ModuleTree.Entry> targets, C settings) throws IOException {
        Map<String, Shape> expected = new LinkedHashMap<>();
        for (ModuleTree.Entry target : targets) {
            kind.parameterShapes(target, settings).forEach((name, shape) ->
                    expected.put(kind.keyPrefix() + target.path() + "." + name, shape));
        }
        Map<String, float[]> values = new HashMap<>();
        try (SafetensorsFile weights = SafetensorsFile.open(file)) {
            Set<String> missing = new LinkedHashSet<>(expected.keySet());
            missing.removeAll(weights.names());
            Set<String> unexpected = new LinkedHashSet<>(weights.names());
            unexpected.removeAll(expected.keySet());
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new IOException(file + " does not fit the layers its " + kind.configFile()
                        + " selects in this model: missing " + missing + ", unexpected " + unexpected);
            }
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                Shape shape = new Shape(weights.info(e.getKey()).shape());
                if (!shape.equals(e.getValue())) {
                    throw new IOException(file + ": " + e.getKey() + " has shape " + shape + ", expected "
                            + e.getValue() + " (from " + kind.configFile() + " and the model)");
                }
            }
            for (String key : expected.keySet()) {
                float[] floats = weights.readFloats(key);
                for (float v : floats) {
                    if (!Float.isFinite(v)) {
                        throw new IOException(file + ": " + key + " holds non-finite values "
                                + (floats.length <= 16 ? Arrays.toString(floats) : "(" + floats.length + " values)"));
                    }
                }
                values.put(key, floats);
            }
        }
        return values;
    }

    private static Map<String, Parameter> parameters(List<? extends AdapterLayer> layers, String prefix) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (AdapterLayer layer : layers) {
            layer.ownParameters().forEach((name, p) -> parameters.put(prefix + layer.path() + "." + name, p));
        }
        return parameters;
    }

    private static NDArray finite(AdapterKind<?, ?> kind, String key, NDArray values) {
        float[] floats = values.toFloatArray();
        for (float v : floats) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("the " + kind.name() + " weights " + key + " are not finite"
                        + (floats.length <= 16 ? " " + Arrays.toString(floats) : "")
                        + ": training diverged; lower the learning rate or clip gradients");
            }
        }
        return values;
    }

    private static NDManager parameterManager(Block model, AdapterKind<?, ?> kind) {
        for (Parameter parameter : model.getParameters().values()) {
            if (parameter.isInitialized()) {
                return parameter.getArray().getManager();
            }
        }
        if (model instanceof Module root && root.parameterManager() != null) {
            return root.parameterManager(); // a structure built without arrays
        }
        throw new IllegalStateException("the model has no initialised parameters to take an NDManager from;"
                + " initialise or load it before injecting " + kind.name());
    }

    private static Map<Parameter, Boolean> trainableFlags(Block model) {
        Map<Parameter, Boolean> flags = new IdentityHashMap<>();
        for (Parameter p : ModuleTree.parameters(model).values()) {
            flags.put(p, p.requiresGradient());
        }
        return flags;
    }

    private static void restore(Map<Parameter, Boolean> trainable) {
        trainable.forEach((p, wasTrainable) -> {
            if (p.requiresGradient() != wasTrainable) {
                p.freeze(!wasTrainable);
            }
        });
    }
}
