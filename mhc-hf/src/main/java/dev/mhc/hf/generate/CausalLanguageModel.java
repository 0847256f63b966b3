package dev.mhc.hf.generate;

import ai.djl.nn.Block;
import dev.mhc.core.module.OutputEmbeddings;

/**
 * A decoder that {@link Generator} can drive: inputs [input_ids, attention_mask, position_ids],
 * a {@link KvCache} in the call's parameters, outputs [logits [batch, seq, vocab]].
 */
public interface CausalLanguageModel extends Block, OutputEmbeddings {

    /** HF's name of the output head of every causal LM here. */
    String LM_HEAD = "lm_head";

    @Override
    default String outputEmbeddingsName() {
        return LM_HEAD;
    }


    /** @return per layer, the sliding window its cache keeps (0: everything) */
    int[] cacheWindows();

    /** @return the tokens that end a sequence (the config's eos_token_id) */
    java.util.Set<Long> eosTokenIds();
}
