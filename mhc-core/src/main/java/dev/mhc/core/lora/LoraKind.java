package dev.mhc.core.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.SavedAdapter;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import dev.mhc.core.nn.LinearLike;
import dev.mhc.core.nn.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * LoRA as an {@link AdapterKind}, on disk as PEFT writes adapters, so either side can read the other's: {@code
 * adapter_config.json} and {@code adapter_model.safetensors} with keys {@code
 * base_model.model.<path>.lora_A.weight}.
 */
final class LoraKind implements AdapterKind<LoraConfig, LoraLayer> {

    static final String CONFIG_FILE = "adapter_config.json";
    static final String WEIGHTS_FILE = "adapter_model.safetensors";
    static final String PREFIX = "base_model.model.";

    static final LoraKind INSTANCE = new LoraKind();

    private LoraKind() {}

    @Override
    public String name() {
        return "LoRA";
    }

    @Override
    public Class<LoraLayer> layerType() {
        return LoraLayer.class;
    }

    @Override
    public String nothingToAdapt(Block model, Selector target) {
        Set<String> names = new TreeSet<>();
        for (ModuleTree.Entry entry : ModuleTree.find(model, Selector.byClass(LinearLike.class))) {
            names.add(entry.name());
        }
        return target.describe() + " match no Linear or Conv1D in the model; its projections are named " + names;
    }

    /** Only the adapters train: every parameter already in the model is frozen. */
    @Override
    public void beforeWrapping(Block model, LoraConfig settings) {
        ModuleTree.parameters(model).values().forEach(p -> p.freeze(true));
    }

    /** A LoraLinear per projection, a ModuleToSave per module to save; all their parameters trainable. */
    @Override
    public List<LoraLayer> wrap(
            Module root, Selector target, List<ModuleTree.Entry> targets, LoraConfig settings, NDManager manager) {
        targets.stream().filter(t -> !settings.savesModule(t.path())).forEach(LoraKind::projection);
        List<LoraLayer> layers = new ArrayList<>();
        for (ModuleTree.Entry entry : targets) {
            LoraLayer layer;
            if (settings.savesModule(entry.path())) {
                refuseShared(root, entry);
                layer = new ModuleToSave(entry.block(), entry.path(), settings);
            } else {
                LoraLinear linear = new LoraLinear(projection(entry), entry.path(), settings);
                Weights.initialize(linear, manager);
                linear.initializeMagnitude();
                layer = linear;
            }
            layer.ownParameters().values().forEach(p -> p.freeze(false));
            layers.add(layer);
        }
        return layers;
    }

    /** The target as a projection; PEFT adapts other layers (embeddings, convolutions) that are not built here. */
    private static LinearLike projection(ModuleTree.Entry target) {
        if (!(target.block() instanceof LinearLike projection)) {
            throw new IllegalArgumentException("LoRA target \"" + target.path() + "\" is a " + target.className()
                    + ": LoRA adapts Linear and Conv1D layers here (PEFT's LoRA on embeddings and convolutions is not"
                    + " built); name the projections inside it instead");
        }
        return projection;
    }

    /** A module to save whose weights are also another module's (a tied head) cannot train alone. */
    private static void refuseShared(Module root, ModuleTree.Entry module) {
        Set<Parameter> own = Collections.newSetFromMap(new IdentityHashMap<>());
        own.addAll(ModuleTree.parameters(module.block()).values());
        ModuleTree.parameters(root).forEach((key, p) -> {
            if (own.contains(p) && !key.startsWith(module.path() + ".")) {
                throw new IllegalArgumentException("modules_to_save \"" + module.path() + "\" shares its weight with "
                        + key + " (tied weights): training it would change both; save another module");
            }
        });
    }

    @Override
    public LoraConfig settings(List<LoraLayer> layers) {
        Set<LoraConfig> configs = new LinkedHashSet<>();
        layers.forEach(l -> configs.add(l.config()));
        if (configs.size() > 1) {
            throw new IllegalStateException("the model's LoRA layers were injected with different settings "
                    + configs + "; an adapter directory records one");
        }
        return configs.iterator().next();
    }

    @Override
    public Map<String, Shape> parameterShapes(ModuleTree.Entry target, LoraConfig settings) {
        if (settings.savesModule(target.path())) {
            Map<String, Shape> shapes = new LinkedHashMap<>();
            ModuleTree.parameters(target.block()).forEach((name, p) -> shapes.put(name, p.getArray().getShape()));
            return shapes;
        }
        return LoraLinear.shapes(projection(target), target.path(), settings);
    }

    @Override
    public String configFile() {
        return CONFIG_FILE;
    }

    @Override
    public String weightsFile() {
        return WEIGHTS_FILE;
    }

    @Override
    public String keyPrefix() {
        return PREFIX;
    }

    @Override
    public Map<String, String> weightsMetadata() {
        return Map.of("format", "pt");
    }

    @Override
    public byte[] writeConfig(List<LoraLayer> layers) throws IOException {
        List<LoraLinear> linears = layers.stream().filter(LoraLinear.class::isInstance).map(LoraLinear.class::cast)
                .toList();
        boolean fanInFanOut = linears.stream().anyMatch(l -> l.wrapped().weightTransposed());
        return PeftAdapterConfig.write(settings(layers), linears.stream().map(LoraLinear::path).toList(), fanInFanOut);
    }

    /** PEFT's config records no layer list: the layers are what its targets select. */
    @Override
    public SavedAdapter<LoraConfig> readConfig(Path file) throws IOException {
        LoraConfig config = PeftAdapterConfig.read(file).config();
        return new SavedAdapter<>(config, config.target(), List.of());
    }
}
