package dev.mhc.core.adapter;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One kind of injection (history-mixing mHC, LoRA, the injected attention of Gemma 3, ...): what
 * it can wrap, how it wraps, and its two files. Everything else, selecting, checking, replacing,
 * listing, parameters by key, removing, saving and loading by path, is {@link Adapters}', the
 * same for every kind.
 *
 * <h2>Adding a kind</h2>
 *
 * <ol>
 *   <li>Write its settings as a record that validates itself in its constructor ({@code
 *       MhcConfig}, {@code LoraConfig}).
 *   <li>Write its wrapper: a {@code Module} implementing {@link AdapterLayer} that registers the
 *       target block as a child and never changes it, creates its own parameters and names them
 *       relative to its path ({@link AdapterLayer#ownParameters}); hooks it sets on other blocks
 *       go in {@link AdapterLayer#onInjected} and come off in {@link AdapterLayer#beforeRemoval}.
 *   <li>Implement this interface: {@link #adapts} (which selected blocks it can wrap), {@link
 *       #wrap} (build the wrappers, without touching the tree), {@link #parameterShapes} (what a
 *       wrapper's parameters will be, so a load is checked before anything is allocated), and the
 *       two files ({@link #configFile}, {@link #weightsFile}, {@link #writeConfig}, {@link
 *       #readConfig}).
 *   <li>Give users a facade whose methods call {@link Adapters} with the kind ({@code Mhc},
 *       {@code Lora}, {@code InjectedAttention}).
 *   <li>Test it as the others are: starts as the base model, survives a save/load round trip by
 *       path, a refused load leaves the model as it was, removal restores it exactly.
 * </ol>
 *
 * @param <C> the settings record
 * @param <L> the wrapper type
 */
public interface AdapterKind<C, L extends AdapterLayer> {

    /** @return the kind's name for messages ({@code "mHC"}, {@code "LoRA"}) */
    String name();

    /** @return the wrapper class, by which the lifecycle finds this kind's layers in a tree */
    Class<L> layerType();

    /**
     * @return whether a block the selector chose can be wrapped; others are skipped, as PEFT skips
     *     matching names that are not layers it can adapt
     */
    default boolean adapts(ModuleTree.Entry entry) {
        return true;
    }

    /**
     * @return why {@code target} selects no block the kind can wrap, naming what the model does
     *     have; {@code null} for the lifecycle's message (the model's classes, a close name)
     */
    default String nothingToAdapt(Block model, Selector target) {
        return null;
    }

    /** Runs once before the wrappers are built (LoRA freezes the base model here). */
    default void beforeWrapping(Block model, C settings) {}

    /**
     * Builds one wrapper per target, in tree order, without changing the tree.
     *
     * @param root the model's root block
     * @param target the selector that chose {@code targets}, for kinds that record it
     * @param manager the manager of the model's parameters, for the wrappers' own
     */
    List<L> wrap(Module root, Selector target, List<ModuleTree.Entry> targets, C settings, NDManager manager);

    /** @return the settings the layers were injected with, all from one injection */
    C settings(List<L> layers);

    /** @return the shapes the wrapper of {@code target} will give its own parameters, by name */
    Map<String, Shape> parameterShapes(ModuleTree.Entry target, C settings);

    /** @return the settings file of a saved directory ({@code mhc_config.json}) */
    String configFile();

    /** @return the weights file of a saved directory ({@code mhc_weights.safetensors}) */
    String weightsFile();

    /** @return what the weight keys start with before the layer path ({@code base_model.model.}) */
    default String keyPrefix() {
        return "";
    }

    /** @return the safetensors metadata of the weights file */
    Map<String, String> weightsMetadata();

    /** @return the config file's bytes for a save of {@code layers} */
    byte[] writeConfig(List<L> layers) throws IOException;

    /** Reads and validates a config file; every problem is an IOException naming the file. */
    SavedAdapter<C> readConfig(Path file) throws IOException;
}
