package dev.mhc.hf.gemma3;

import dev.mhc.hf.config.ConfigKeys;
import dev.mhc.hf.rotary.DecoderConfigKeys;
import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.rotary.RotaryDecoderForCausalLM;
import dev.mhc.hf.rotary.RotaryDecoderModel;

/** The {@code "gemma3_text"} model type, for the model registry: the rotary decoder as {@link Gemma3TextConfig} sets it. */
public final class Gemma3Family implements FamilySource {

    /** The keys of Gemma 3 text configs that Gemma3TextConfig does not bind. */
    static final ConfigKeys CONFIG_KEYS = DecoderConfigKeys.COMMON.with(ConfigKeys.builder()
            .inert("cache_implementation", "HF's hybrid KV cache: which keys are kept, not what is computed")
            .refusedUnless("tie_word_embeddings", "Gemma 3's output head is its token embeddings here", true)
            .refusedUnless("use_bidirectional_attention", "bidirectional attention (EmbeddingGemma) is not"
                    + " supported", false)
            .build());

    public static final ModelFamily<Gemma3TextConfig> FAMILY =
            ModelFamily.builder("gemma3_text", Gemma3TextConfig.class)
                    .architecture("Gemma3TextModel", ModelKind.GENERAL, c -> new RotaryDecoderModel(c.decoder()))
                    .architecture("Gemma3ForCausalLM", ModelKind.CAUSAL_LM,
                            c -> new RotaryDecoderForCausalLM(c.decoder()))
                    .basePrefix(RotaryDecoderForCausalLM.BASE_PREFIX)
                    .layerClass("Gemma3DecoderLayer")
                    .configKeys(CONFIG_KEYS)
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public Gemma3Family() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
