package dev.mhc.hf.llama;

import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.rotary.RotaryDecoderForCausalLM;
import dev.mhc.hf.rotary.RotaryDecoderModel;

/** The {@code "llama"} model type, for the model registry: the rotary decoder as {@link LlamaConfig} sets it. */
public final class LlamaFamily implements FamilySource {

    public static final ModelFamily<LlamaConfig> FAMILY =
            ModelFamily.builder("llama", LlamaConfig.class)
                    .architecture("LlamaModel", ModelKind.GENERAL, c -> new RotaryDecoderModel(c.decoder()))
                    .architecture("LlamaForCausalLM", ModelKind.CAUSAL_LM, c -> new RotaryDecoderForCausalLM(c.decoder()))
                    .basePrefix(RotaryDecoderForCausalLM.BASE_PREFIX)
                    .layerClass("LlamaDecoderLayer")
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public LlamaFamily() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
