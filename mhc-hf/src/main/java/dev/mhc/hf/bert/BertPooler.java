package dev.mhc.hf.bert;

import dev.mhc.hf.common.Pooler;

/** tanh(dense(first token's hidden state)). */
public class BertPooler extends Pooler {

    public BertPooler(int hiddenSize) {
        super(hiddenSize, hiddenSize, "tanh");
    }
}
