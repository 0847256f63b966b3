package dev.mhc.core.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.NoMatchingBlockException;
import dev.mhc.core.module.Selector;
import dev.mhc.core.nn.LinearLike;
import dev.mhc.core.nn.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * LoRA as PEFT does it: wrap the selected dense projections in {@link LoraLinear}, freeze every
 * other parameter of the model, merge, unmerge, remove; save and load adapters alone in PEFT's
 * file layout ({@link LoraAdapters}).
 */
public final class Lora {

    private Lora() {}

    /**
     * Wraps every Linear/Conv1D the config targets and freezes all parameters but the adapters'.
     * Inject mHC after LoRA: its mixing weights are created trainable.
     *
     * @return the wrapped projections, in tree order
     */
    public static List<LoraLinear> inject(Block model, LoraConfig config) {
        List<ModuleTree.Entry> targets = new ArrayList<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            if (entry.parent() instanceof LoraLinear || !config.targets(entry)) {
                continue;
            }
            if (entry.block() instanceof LoraLinear) {
                throw new IllegalStateException(
                        "LoRA is already injected at \"" + entry.path() + "\"; call Lora.remove(model) first");
            }
            if (!(entry.block() instanceof LinearLike)) {
                continue; // PEFT too skips matching names that are not layers it can adapt
            }
            ModuleTree.checkReplaceable(entry);
            targets.add(entry);
        }
        if (targets.isEmpty()) {
            throw new NoMatchingBlockException(noTargetMessage(model, config));
        }
        NDManager manager = ((LinearLike) targets.get(0).block()).weight().getArray().getManager();
        ModuleTree.parameters(model).values().forEach(p -> p.freeze(true));
        List<LoraLinear> layers = new ArrayList<>();
        for (ModuleTree.Entry entry : targets) {
            LoraLinear layer = new LoraLinear((LinearLike) entry.block(), entry.path(), config);
            Weights.initialize(layer, manager);
            layer.loraA().freeze(false);
            layer.loraB().freeze(false);
            ModuleTree.replace(entry, layer);
            layers.add(layer);
        }
        return layers;
    }

    /** @return the LoRA layers of the model, in tree order */
    public static List<LoraLinear> layers(Block model) {
        List<LoraLinear> layers = new ArrayList<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            if (entry.block() instanceof LoraLinear layer) {
                layers.add(layer);
            }
        }
        return layers;
    }

    /** @return the adapter parameters by key ({@code encoder.layer.0.attention.self.query.lora_A.weight}) */
    public static Map<String, Parameter> parameters(Block model) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (LoraLinear layer : layers(model)) {
            parameters.put(layer.path() + ".lora_A.weight", layer.loraA());
            parameters.put(layer.path() + ".lora_B.weight", layer.loraB());
        }
        return parameters;
    }

    public static void merge(Block model) {
        layers(model).forEach(LoraLinear::merge);
    }

    public static void unmerge(Block model) {
        layers(model).forEach(LoraLinear::unmerge);
    }

    /**
     * Puts the base projections back (unmerged first, so their weights are the originals). The
     * base parameters stay frozen; unfreeze them explicitly to train them.
     *
     * @return the number of projections unwrapped
     */
    public static int remove(Block model) {
        List<ModuleTree.Entry> wrapped = new ArrayList<>();
        for (ModuleTree.Entry entry : ModuleTree.walk(model)) {
            if (entry.block() instanceof LoraLinear) {
                wrapped.add(entry);
            }
        }
        for (ModuleTree.Entry entry : wrapped) {
            LoraLinear layer = (LoraLinear) entry.block();
            layer.unmerge();
            ModuleTree.replace(entry, layer.wrapped());
        }
        return wrapped.size();
    }

    /** Writes {@code adapter_config.json} and {@code adapter_model.safetensors} (PEFT's layout). */
    public static void save(Block model, Path dir) throws IOException {
        LoraAdapters.save(model, dir);
    }

    /** Injects the adapters saved in {@code dir} into a model without LoRA and loads them. */
    public static List<LoraLinear> load(Block model, Path dir) throws IOException {
        return LoraAdapters.load(model, dir);
    }

    private static String noTargetMessage(Block model, LoraConfig config) {
        Set<String> names = new TreeSet<>();
        for (ModuleTree.Entry entry : ModuleTree.find(model, Selector.byClass(LinearLike.class))) {
            names.add(entry.name());
        }
        return "LoRA target modules "
                + (config.targetRegex() != null ? "/" + config.targetRegex() + "/" : config.targetModules())
                + " match no Linear or Conv1D in the model; its projections are named "
                + names;
    }
}
