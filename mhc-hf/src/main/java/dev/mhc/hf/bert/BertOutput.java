package dev.mhc.hf.bert;

/** The feed-forward block's tail: as {@link BertSelfOutput}, from intermediate_size. */
public class BertOutput extends BertSelfOutput {

    public BertOutput(BertConfig config) {
        super(config, config.intermediateSize());
    }
}
