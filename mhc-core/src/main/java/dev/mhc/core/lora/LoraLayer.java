package dev.mhc.core.lora;

import ai.djl.nn.Block;
import dev.mhc.core.adapter.AdapterModule;

/**
 * What LoRA puts into a model, as PEFT does: a low-rank update on a projection ({@link LoraLinear})
 * or a trained full copy of a module PEFT's {@code modules_to_save} names ({@link ModuleToSave}).
 */
public abstract sealed class LoraLayer extends AdapterModule permits LoraLinear, ModuleToSave {

    protected LoraLayer(Block base, String path) {
        super(base, path);
    }

    /** @return the settings the layer was injected with */
    public abstract LoraConfig config();
}
