package dev.mhc.hf.qwen;

import dev.mhc.hf.config.ConfigKeys;
import dev.mhc.hf.rotary.DecoderConfigKeys;
import dev.mhc.hf.registry.FamilySource;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import dev.mhc.hf.rotary.RotaryDecoderForCausalLM;
import dev.mhc.hf.rotary.RotaryDecoderModel;

/** The {@code "qwen2"} and {@code "qwen3"} model types, for the model registry: the rotary decoder as {@link QwenConfig} sets it. */
public final class QwenFamilies {

    /** The keys of Qwen2/Qwen3 configs that QwenConfig does not bind. */
    static final ConfigKeys CONFIG_KEYS = DecoderConfigKeys.COMMON.with(ConfigKeys.builder()
            .refusedUnless("use_mrope", "multimodal RoPE (Qwen2-VL) is not supported", false)
            .build());

    public static final ModelFamily<QwenConfig> QWEN2 = family(QwenConfig.QWEN2, "Qwen2");
    public static final ModelFamily<QwenConfig> QWEN3 = family(QwenConfig.QWEN3, "Qwen3");

    private QwenFamilies() {}

    private static ModelFamily<QwenConfig> family(String modelType, String prefix) {
        return ModelFamily.builder(modelType, QwenConfig.class)
                .architecture(prefix + "Model", ModelKind.GENERAL, c -> new RotaryDecoderModel(c.decoder()))
                .architecture(prefix + "ForCausalLM", ModelKind.CAUSAL_LM, c -> new RotaryDecoderForCausalLM(c.decoder()))
                .basePrefix(RotaryDecoderForCausalLM.BASE_PREFIX)
                .layerClass(prefix + "DecoderLayer")
                .configKeys(CONFIG_KEYS)
                .build();
    }

    /** For the service loader. */
    public static final class Qwen2 implements FamilySource {
        @Override
        public ModelFamily<?> family() {
            return QWEN2;
        }
    }

    /** For the service loader. */
    public static final class Qwen3 implements FamilySource {
        @Override
        public ModelFamily<?> family() {
            return QWEN3;
        }
    }
}
