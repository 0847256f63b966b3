package dev.mhc.hf.gemma3;

import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.rotary.RotaryDecoderForCausalLM;
import dev.mhc.hf.rotary.RotaryDecoderModel;

/** The {@code "gemma3_text"} model type, for the model registry: the rotary decoder as {@link Gemma3TextConfig} sets it. */
public final class Gemma3Family implements FamilySource {

    public static final ModelFamily<Gemma3TextConfig> FAMILY =
            ModelFamily.builder("gemma3_text", Gemma3TextConfig.class)
                    .architecture("Gemma3TextModel", ModelKind.GENERAL, c -> new RotaryDecoderModel(c.decoder()))
                    .architecture("Gemma3ForCausalLM", ModelKind.CAUSAL_LM,
                            c -> new RotaryDecoderForCausalLM(c.decoder()))
                    .basePrefix(RotaryDecoderForCausalLM.BASE_PREFIX)
                    .layerClass("Gemma3DecoderLayer")
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public Gemma3Family() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
