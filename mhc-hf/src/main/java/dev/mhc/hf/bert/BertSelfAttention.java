package dev.mhc.hf.bert;

import dev.mhc.hf.common.SelfAttention;

/** BERT's multi-head self-attention ({@code attention.self}). */
public class BertSelfAttention extends SelfAttention {

    public BertSelfAttention(BertConfig config) {
        super(config.hiddenSize(), config.numAttentionHeads(), true, config.attentionProbsDropoutProb());
    }
}
