package dev.mhc.hf.gpt2;

import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;

/** The {@code "gpt2"} model type, for the model registry. */
public final class GPT2Family implements FamilySource {

    public static final ModelFamily<GPT2Config> FAMILY =
            ModelFamily.builder("gpt2", GPT2Config.class)
                    .architecture("GPT2Model", ModelKind.GENERAL, GPT2Model::new)
                    .architecture("GPT2LMHeadModel", ModelKind.CAUSAL_LM, GPT2LMHeadModel::new)
                    .basePrefix(GPT2LMHeadModel.BASE_PREFIX)
                    .layerClass("GPT2Block")
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public GPT2Family() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
