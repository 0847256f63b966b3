package dev.mhc.hf.qwen2;

import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.rotary.RotaryDecoderForCausalLM;
import dev.mhc.hf.rotary.RotaryDecoderModel;

/** The {@code "qwen2"} model type, for the model registry: the rotary decoder as {@link Qwen2Config} sets it. */
public final class Qwen2Family implements FamilySource {

    public static final ModelFamily<Qwen2Config> FAMILY =
            ModelFamily.builder("qwen2", Qwen2Config.class)
                    .architecture("Qwen2Model", ModelKind.GENERAL, c -> new RotaryDecoderModel(c.decoder()))
                    .architecture("Qwen2ForCausalLM", ModelKind.CAUSAL_LM, c -> new RotaryDecoderForCausalLM(c.decoder()))
                    .basePrefix(RotaryDecoderForCausalLM.BASE_PREFIX)
                    .layerClass("Qwen2DecoderLayer")
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public Qwen2Family() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
