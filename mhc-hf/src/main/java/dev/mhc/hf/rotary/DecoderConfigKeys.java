package dev.mhc.hf.rotary;

import dev.mhc.hf.config.ConfigKeys;

/** The config.json keys every rotary decoder family (Llama, Qwen, Gemma 3) declares alike. */
public final class DecoderConfigKeys {

    public static final ConfigKeys COMMON = ConfigKeys.builder()
            .inert("is_decoder", "the decoder is causal either way")
            .refusedUnless("partial_rotary_factor", "RoPE on part of each head is not supported", 1.0)
            .build();

    private DecoderConfigKeys() {}
}
