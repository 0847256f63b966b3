package dev.mhc.hf.gemma3;

import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;

/** The {@code "gemma3_text"} model type, for the model registry. */
public final class Gemma3Family implements FamilySource {

    public static final ModelFamily<Gemma3TextConfig> FAMILY =
            ModelFamily.builder("gemma3_text", Gemma3TextConfig.class)
                    .architecture("Gemma3TextModel", ModelKind.GENERAL, Gemma3TextModel::new)
                    .architecture("Gemma3ForCausalLM", ModelKind.CAUSAL_LM, Gemma3ForCausalLM::new)
                    .basePrefix(Gemma3ForCausalLM.BASE_PREFIX)
                    .layerClass("Gemma3DecoderLayer")
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public Gemma3Family() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
