package dev.mhc.hf.bert;

import dev.mhc.hf.common.Intermediate;

/** BERT's feed-forward expansion ({@code intermediate}). */
public class BertIntermediate extends Intermediate {

    public BertIntermediate(BertConfig config) {
        super(config.hiddenSize(), config.intermediateSize(), config.hiddenAct());
    }
}
