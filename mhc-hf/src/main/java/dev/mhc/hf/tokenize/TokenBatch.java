package dev.mhc.hf.tokenize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Encoded rows of equal length: input ids, attention mask (1 = token, 0 = padding) and token
 * type ids, each [batch][seq].
 */
public record TokenBatch(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds) {

    public int size() {
        return inputIds.length;
    }

    /** @return [input_ids, attention_mask, token_type_ids] as int64 arrays, BERT's input order */
    public NDList toNDList(NDManager manager) {
        return new NDList(array(inputIds, manager), array(attentionMask, manager), array(tokenTypeIds, manager));
    }

    private static NDArray array(long[][] rows, NDManager manager) {
        return manager.create(rows);
    }
}
