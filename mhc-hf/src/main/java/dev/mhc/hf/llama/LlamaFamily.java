package dev.mhc.hf.llama;

import dev.mhc.hf.config.ConfigKeys;
import dev.mhc.hf.rotary.DecoderConfigKeys;
import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.rotary.RotaryDecoderForCausalLM;
import dev.mhc.hf.rotary.RotaryDecoderModel;

/** The {@code "llama"} model type, for the model registry: the rotary decoder as {@link LlamaConfig} sets it. */
public final class LlamaFamily implements FamilySource {

    /** The keys of Llama configs that LlamaConfig does not bind. */
    static final ConfigKeys CONFIG_KEYS = DecoderConfigKeys.COMMON.with(ConfigKeys.builder()
            .inert("pretraining_tp", "transformers 4.x splits the projections into this many slices and adds"
                    + " the products: the same sums")
            .build());

    public static final ModelFamily<LlamaConfig> FAMILY =
            ModelFamily.builder("llama", LlamaConfig.class)
                    .architecture("LlamaModel", ModelKind.GENERAL, c -> new RotaryDecoderModel(c.decoder()))
                    .architecture("LlamaForCausalLM", ModelKind.CAUSAL_LM, c -> new RotaryDecoderForCausalLM(c.decoder()))
                    .basePrefix(RotaryDecoderForCausalLM.BASE_PREFIX)
                    .layerClass("LlamaDecoderLayer")
                    .configKeys(CONFIG_KEYS)
                    .build();

    /** For the service loader; the family itself is {@link #FAMILY}. */
    public LlamaFamily() {}

    @Override
    public ModelFamily<?> family() {
        return FAMILY;
    }
}
