package dev.mhc.core.lora;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.Adapters;
import dev.mhc.core.io.AtomicDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * LoRA as PEFT does it: wrap the selected dense projections in {@link LoraLinear}, freeze every
 * other parameter of the model, merge, unmerge, remove; save and load adapters alone in PEFT's
 * file layout ({@link LoraKind}), with PEFT's options: rsLoRA, DoRA, rank and alpha patterns,
 * all-linear, excluded modules and layer indices ({@link LoraConfig}).
 */
public final class Lora {

    private Lora() {}

    /** The kind behind this facade, for code that handles every kind alike. */
    public static AdapterKind<LoraConfig, LoraLayer> kind() {
        return LoraKind.INSTANCE;
    }

    /**
     * Wraps every Linear/Conv1D the config targets and freezes all parameters but the adapters'.
     * Inject mHC after LoRA: its mixing weights are created trainable.
     *
     * @return the wrapped projections, in tree order
     */
    public static List<LoraLinear> inject(Block model, LoraConfig config) {
        return linear(Adapters.inject(model, LoraKind.INSTANCE, config.target(), config));
    }

    /** @return the LoRA layers of the model, in tree order */
    public static List<LoraLinear> layers(Block model) {
        return linear(Adapters.layers(model, LoraKind.INSTANCE));
    }

    /** @return the modules trained and saved whole ({@link LoraConfig#modulesToSave}), in tree order */
    public static List<ModuleToSave> modulesToSave(Block model) {
        return Adapters.layers(model, LoraKind.INSTANCE).stream().filter(ModuleToSave.class::isInstance)
                .map(ModuleToSave.class::cast).toList();
    }

    /** @return the adapter parameters by key ({@code encoder.layer.0.attention.self.query.lora_A.weight}) */
    public static Map<String, Parameter> parameters(Block model) {
        return Adapters.parameters(model, LoraKind.INSTANCE);
    }

    public static void merge(Block model) {
        layers(model).forEach(LoraLinear::merge);
    }

    public static void unmerge(Block model) {
        layers(model).forEach(LoraLinear::unmerge);
    }

    private static List<LoraLinear> linear(List<LoraLayer> layers) {
        return layers.stream().filter(LoraLinear.class::isInstance).map(LoraLinear.class::cast).toList();
    }

    /**
     * Puts the base projections back (unmerged first, so their weights are the originals). The
     * base parameters stay frozen; unfreeze them explicitly to train them.
     *
     * @return the number of projections unwrapped
     */
    public static int remove(Block model) {
        return Adapters.remove(model, LoraKind.INSTANCE);
    }

    /**
     * Writes {@code adapter_config.json} and {@code adapter_model.safetensors} (PEFT's layout)
     * into {@code dir}, replacing an earlier save as one unit.
     */
    public static void save(Block model, Path dir) throws IOException {
        Adapters.save(model, LoraKind.INSTANCE, dir);
    }

    /**
     * Injects the adapters saved in {@code dir} into a model without LoRA and loads them; a
     * refused load leaves the model as it was (nothing injected, nothing frozen).
     *
     * @throws IOException when a file is missing, unreadable or malformed (naming it)
     * @throws IllegalArgumentException when the save does not fit this model (naming the layers)
     */
    public static List<LoraLinear> load(Block model, Path dir) throws IOException {
        return linear(Adapters.load(model, LoraKind.INSTANCE, dir));
    }

    /**
     * As {@link #load(Block, Path)}; with {@code strictConfig}, an {@code adapter_config.json} holding
     * keys PEFT 0.21 does not write (see {@link #unknownConfigKeys}) is refused, naming them.
     */
    public static List<LoraLinear> load(Block model, Path dir, boolean strictConfig) throws IOException {
        List<String> unknown = strictConfig ? unknownConfigKeys(dir) : List.of();
        if (!unknown.isEmpty()) {
            throw new IOException(dir.resolve(LoraKind.CONFIG_FILE) + " has keys this library does not read: " + unknown
                    + "; they may change what the adapter computes. Remove them if they are inert, or load without"
                    + " strict config");
        }
        return load(model, dir);
    }

    /**
     * @return the keys of {@code dir}'s {@code adapter_config.json} that neither this library nor PEFT
     *     0.21 knows (every key PEFT writes is read, known to be inert, or refused by name on load)
     */
    public static List<String> unknownConfigKeys(Path dir) throws IOException {
        return PeftAdapterConfig.read(AtomicDirectory.forReading(dir).resolve(LoraKind.CONFIG_FILE)).unknownKeys();
    }
}
