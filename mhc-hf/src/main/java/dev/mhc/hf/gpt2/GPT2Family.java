package dev.mhc.hf.gpt2;

import dev.mhc.hf.config.ConfigKeys;
import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;

/** The {@code "gpt2"} model type, for the model registry. */
public final class GPT2Family implements FamilySource {

    private static final String DOUBLE_HEADS = "the multiple-choice head of GPT2DoubleHeadsModel";

    /** The keys of GPT-2 configs that GPT2Config does not bind. */
    static final ConfigKeys CONFIG_KEYS = ConfigKeys.builder()
            .inert("n_ctx", "an older name of n_positions; HF's GPT-2 does not read it")
            .inert("is_decoder", "GPT-2 is causal either way")
            .refusedUnless("tie_word_embeddings", "GPT-2's output head is its token embeddings here", true)
            .inert("summary_type", DOUBLE_HEADS)
            .inert("summary_use_proj", DOUBLE_HEADS)
            .inert("summary_activation", DOUBLE_HEADS)
            .inert("summary_proj_to_labels", DOUBLE_HEADS)
            .inert("summary_first_dropout", DOUBLE_HEADS)
            .build();

    public static final ModelFamily<GPT2Config> FAMILY =
            ModelFamily.builder("gpt2", GPT2Config.class)
                    .architecture("GPT2Model", ModelKind.GENERAL, GPT2Model::new)
                    .architecture("GPT2LMHeadModel", ModelKind.CAUSAL_LM, GPT2LMHeadModel::new)
                    .basePrefix(GPT2LMHeadModel.BASE_PREFIX)
                    .layerClass("GPT2Block")
                    .configKeys(CONFIG_KEYS)
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public GPT2Family() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
