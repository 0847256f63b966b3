package dev.mhc.hf.qwen3;

import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.rotary.RotaryDecoderForCausalLM;
import dev.mhc.hf.rotary.RotaryDecoderModel;

/** The {@code "qwen3"} model type, for the model registry: the rotary decoder as {@link Qwen3Config} sets it. */
public final class Qwen3Family implements FamilySource {

    public static final ModelFamily<Qwen3Config> FAMILY =
            ModelFamily.builder("qwen3", Qwen3Config.class)
                    .architecture("Qwen3Model", ModelKind.GENERAL, c -> new RotaryDecoderModel(c.decoder()))
                    .architecture("Qwen3ForCausalLM", ModelKind.CAUSAL_LM, c -> new RotaryDecoderForCausalLM(c.decoder()))
                    .basePrefix(RotaryDecoderForCausalLM.BASE_PREFIX)
                    .layerClass("Qwen3DecoderLayer")
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public Qwen3Family() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
