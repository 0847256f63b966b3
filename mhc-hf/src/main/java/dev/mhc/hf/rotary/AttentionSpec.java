package dev.mhc.hf.rotary;

import dev.mhc.hf.config.ConfigChecks;

/**
 * What one family's rotary attention is made of.
 *
 * @param family the HF class-name prefix ({@code "Qwen3"})
 * @param heads query heads
 * @param kvHeads key/value heads; query head h reads kv head h / (heads / kvHeads)
 * @param headDim the size of one head (Qwen3 and Gemma: not always hidden / heads)
 * @param qkvBias whether q_proj, k_proj and v_proj have biases
 * @param outputBias whether o_proj has one
 * @param qkNorm the per-head RMSNorm of queries and keys before RoPE ({@code q_norm}, {@code
 *     k_norm}), or {@code null} for none
 * @param normEps that norm's epsilon
 * @param scale what the scores q.k are multiplied by (head_dim^-0.5, or Gemma's
 *     query_pre_attn_scalar^-0.5)
 * @param dropout the attention-probability dropout in training
 */
public record AttentionSpec(
        String family,
        int hiddenSize,
        int heads,
        int kvHeads,
        int headDim,
        boolean qkvBias,
        boolean outputBias,
        RMSNorm.Scale qkNorm,
        double normEps,
        double scale,
        double dropout) {

    public AttentionSpec {
        ConfigChecks.rotaryHeads(heads, kvHeads, headDim);
    }
}
