package dev.mhc.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a checkpoint into a model by walking its tree: the state-dict key of each parameter is
 * its block's path plus its name ({@link ModuleTree#parameters}), as Hugging Face writes them.
 *
 * <p>Every key is resolved and every shape checked before any array is touched, so a checkpoint
 * that does not fit leaves the model as it was. A parameter shared by several keys (tied
 * weights) loads once, from whichever key the checkpoint has. With a base prefix ({@code
 * "bert"}), a task model's {@code bert.}-prefixed keys and a base checkpoint's bare keys find
 * each other in both directions, as HF's {@code base_model_prefix} does.
 */
public final class WeightLoader {

    private static final int LISTED = 10;

    /** What a load did: keys loaded, keys the checkpoint lacked, keys the model lacked. */
    /**
     * @param nonFinite checkpoint tensors holding NaN or infinite values, loaded because the caller
     *     allowed them (without that, such a tensor fails the load)
     */
    public record Report(List<String> loaded, List<String> missing, List<String> unexpected, List<String> nonFinite) {}

    private WeightLoader() {}

    /** Strict load: any missing or unexpected key is an error. */
    public static Report load(Block model, TensorSource source, NDManager manager) throws IOException {
        return load(model, source, manager, "", true);
    }

    /**
     * @param basePrefix the base model's attribute name in task models ({@code "bert"}), or ""
     * @param strict whether missing and unexpected keys are errors; when not, missing parameters
     *     keep (or get) their random initialisation and unexpected tensors are ignored
     */
    public static Report load(
            Block model, TensorSource source, NDManager manager, String basePrefix, boolean strict)
            throws IOException {
        return load(model, source, manager, basePrefix, strict, false);
    }

    /**
     * @param allowNonFinite whether tensors holding NaN or infinite values load (and are listed in
     *     the report) rather than failing the load
     * @throws NonFiniteWeightsException naming the first such tensor, when not allowed; the model's
     *     parameters are then left as they were
     */
    public static Report load(Block model, TensorSource source, NDManager manager, String basePrefix,
            boolean strict, boolean allowNonFinite) throws IOException {
        Map<Parameter, List<String>> keysByParameter = new IdentityHashMap<>();
        Map<Parameter, String> order = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ModuleTree.parameters(model).entrySet()) {
            keysByParameter.computeIfAbsent(e.getValue(), p -> new ArrayList<>()).add(e.getKey());
            order.putIfAbsent(e.getValue(), e.getKey());
        }
        Map<Parameter, String> sourceNames = new LinkedHashMap<>();
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> consumed = new LinkedHashSet<>();
        for (Parameter parameter : order.keySet()) {
            String found = null;
            for (String key : keysByParameter.get(parameter)) {
                String name = resolve(key, source, basePrefix);
                if (name != null) {
                    consumed.add(name);
                    if (found == null) {
                        found = name;
                        checkShape(source, name, key, parameter);
                        sourceNames.put(parameter, name);
                        loaded.add(key);
                    }
                }
            }
            if (found == null) {
                missing.add(order.get(parameter));
            }
        }
        List<String> unexpected = new ArrayList<>(source.names());
        unexpected.removeAll(consumed);
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new CheckpointMismatchException(mismatchMessage(source, missing, unexpected));
        }
        Map<Parameter, NDArray> values = new LinkedHashMap<>();
        List<String> nonFinite = new ArrayList<>();
        try {
            for (Map.Entry<Parameter, String> e : sourceNames.entrySet()) {
                NDArray value = source.load(e.getValue(), manager);
                values.put(e.getKey(), value);
                if (!isFinite(value)) {
                    if (!allowNonFinite) {
                        throw new NonFiniteWeightsException(nonFiniteMessage(source, e.getValue(), value));
                    }
                    nonFinite.add(e.getValue());
                }
            }
        } catch (IOException | RuntimeException e) {
            values.values().forEach(NDArray::close);
            throw e;
        }
        values.forEach((parameter, value) -> setFrom(parameter, value, manager));
        Weights.initialize(model, manager); // what the checkpoint lacked, when not strict
        return new Report(loaded, missing, unexpected, nonFinite);
    }

    private static String resolve(String key, TensorSource source, String basePrefix) {
        if (source.contains(key)) {
            return key;
        }
        if (basePrefix.isEmpty()) {
            return null;
        }
        String prefix = basePrefix + ".";
        if (key.startsWith(prefix) && source.contains(key.substring(prefix.length()))) {
            return key.substring(prefix.length());
        }
        return source.contains(prefix + key) ? prefix + key : null;
    }

    private static void checkShape(TensorSource source, String name, String key, Parameter parameter)
            throws CheckpointMismatchException {
        Shape expected = parameter.getShape();
        Shape actual = new Shape(source.info(name).shape());
        if (expected != null && !expected.equals(actual)) {
            throw new CheckpointMismatchException(
                    "checkpoint tensor \""
                            + name
                            + "\" has shape "
                            + actual
                            + " but the model's \""
                            + key
                            + "\" expects "
                            + expected
                            + ": the checkpoint and the config it was built from disagree");
        }
    }

    /** Replaces the parameter's array, keeping its own initialiser for later re-initialisation. */
    private static void setFrom(Parameter parameter, NDArray value, NDManager manager) {
        Initializer own = parameter.getInitializer();
        parameter.close();
        parameter.setInitializer((m, shape, type) -> value.toType(type, false));
        parameter.initialize(manager, DataType.FLOAT32);
        parameter.setInitializer(own);
    }

    private static String mismatchMessage(TensorSource source, List<String> missing, List<String> unexpected) {
        StringBuilder message = new StringBuilder("the checkpoint does not fit the model");
        if (!missing.isEmpty()) {
            message.append("; missing ").append(missing.size()).append(" keys ").append(first(missing));
        }
        if (!unexpected.isEmpty()) {
            message.append("; unexpected ").append(unexpected.size()).append(" keys ").append(first(unexpected));
        }
        message.append(" (checkpoint has ")
                .append(source.names().size())
                .append(" tensors). Check that config.json belongs to these weights, or load with"
                        + " strict=false to ignore extra tensors and initialise missing ones randomly");
        return message.toString();
    }

    private static String first(List<String> keys) {
        List<String> shown = keys.subList(0, Math.min(LISTED, keys.size()));
        return keys.size() > LISTED ? shown + "..." : shown.toString();
    }

    /**
     * One reduction over the tensor, as loading is bound by memory traffic: a NaN or an infinity
     * makes the sum non-finite. A sum can also overflow on finite values, so only then are the NaN
     * and infinite values counted exactly.
     */
    private static boolean isFinite(NDArray value) {
        if (!value.getDataType().isFloating() || value.size() == 0) {
            return true;
        }
        // closed at once: they would otherwise live on the model's manager as long as the model
        try (NDArray sum = value.sum(); NDArray wide = sum.toType(DataType.FLOAT64, false)) {
            if (Double.isFinite(wide.getDouble())) {
                return true;
            }
        }
        return nonFiniteCount(value) == 0;
    }

    private static long nonFiniteCount(NDArray value) {
        try (NDArray nan = value.isNaN(); NDArray infinite = value.isInfinite(); NDArray either = nan.logicalOr(infinite);
                NDArray count = either.sum(); NDArray wide = count.toType(DataType.INT64, false)) {
            return wide.getLong();
        }
    }

    private static String nonFiniteMessage(TensorSource source, String name, NDArray value) {
        long nan = value.isNaN().sum().toType(DataType.INT64, false).getLong();
        long infinite = value.isInfinite().sum().toType(DataType.INT64, false).getLong();
        return "checkpoint tensor \"" + name + "\" holds " + nan + " NaN and " + infinite + " infinite value(s) among "
                + value.size() + " (checkpoint " + source + "): it is corrupt, or was saved after training diverged;"
                + " re-download or re-export it, or load it anyway with allowNonFiniteWeights";
    }

    /** A checkpoint tensor holding NaN or infinite values, refused by default. */
    public static final class NonFiniteWeightsException extends IOException {
        public NonFiniteWeightsException(String message) {
            super(message);
        }
    }

    /** A checkpoint whose keys or shapes do not match the model it is loaded into. */
    public static final class CheckpointMismatchException extends IOException {
        public CheckpointMismatchException(String message) {
            super(message);
        }
    }
}
