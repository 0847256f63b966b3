package dev.mhc.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.ModuleTree;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module PEFT's {@code modules_to_save} names (a classifier head, say): trained whole beside the
 * adapters and saved whole in the adapter file, under PEFT's keys ({@code base_model.model.score.weight}).
 * Where PEFT trains a copy and keeps the original aside, this trains the module's own parameters and
 * keeps their values aside, so removal puts the original weights back; a module whose weights are
 * shared with one outside it (a tied head) is refused, since training it would change the other too.
 */
public final class ModuleToSave extends LoraLayer {

    private final LoraConfig config;
    private final Map<String, Parameter> parameters;
    private final Map<Parameter, NDArray> original = new LinkedHashMap<>();

    ModuleToSave(Block base, String path, LoraConfig config) {
        super(base, path);
        this.config = config;
        this.parameters = ModuleTree.parameters(base);
    }

    @Override
    public LoraConfig config() {
        return config;
    }

    /** The module's parameters by their names inside it ({@code weight}, {@code dense.bias}). */
    @Override
    public Map<String, Parameter> ownParameters() {
        return parameters;
    }

    @Override
    public void onInjected() {
        parameters.values().forEach(p -> original.put(p, p.getArray().duplicate()));
    }

    /** The original weights back, frozen as LoRA leaves the base. */
    @Override
    public void beforeRemoval() {
        original.forEach((p, values) -> {
            p.getArray().set(new NDIndex("..."), values);
            values.close();
            p.freeze(true);
        });
        original.clear();
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        return f.run(wrapped(), inputs);
    }

    @Override
    public String toString() {
        return "ModuleToSave(" + path() + ")";
    }
}
