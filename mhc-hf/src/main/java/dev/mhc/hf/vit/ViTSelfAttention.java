package dev.mhc.hf.vit;

import dev.mhc.hf.common.SelfAttention;

/** ViT's multi-head self-attention ({@code attention.attention}), biases per qkv_bias. */
public class ViTSelfAttention extends SelfAttention {

    public ViTSelfAttention(ViTConfig config) {
        super(config.hiddenSize(), config.numAttentionHeads(), config.qkvBias(), config.attentionProbsDropoutProb());
    }
}
