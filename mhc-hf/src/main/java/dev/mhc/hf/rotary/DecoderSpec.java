package dev.mhc.hf.rotary;

import java.util.List;
import java.util.Set;

/**
 * One rotary decoder, as a family's config describes it: everything {@link RotaryDecoderModel}
 * builds and runs from. Each family's config record makes one ({@code LlamaConfig.decoder()}).
 *
 * @param family the HF class-name prefix ({@code "Llama"}): blocks are named {@code LlamaModel},
 *     {@code LlamaDecoderLayer}, {@code LlamaAttention}, {@code LlamaMLP}, {@code LlamaRMSNorm}
 * @param attention every layer's attention
 * @param mlpBias whether the MLP projections have biases
 * @param rope the rotary frequencies, shared by every layer
 * @param windows per layer, the sliding window (query i sees keys j with i - w < j <= i), 0 for
 *     full causal attention
 * @param tieWordEmbeddings whether lm_head reuses embed_tokens' weight (and checkpoints omit it)
 * @param eosTokenIds the tokens that end a generated sequence
 */
public record DecoderSpec(
        String family,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        AttentionSpec attention,
        String hiddenAct,
        boolean mlpBias,
        double rmsNormEps,
        RotaryEmbedding rope,
        List<Integer> windows,
        boolean tieWordEmbeddings,
        Set<Long> eosTokenIds) {

    public DecoderSpec {
        windows = List.copyOf(windows);
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    public int numHiddenLayers() {
        return windows.size();
    }

    /** @return per layer, the window its KV cache keeps (0: everything) */
    public int[] cacheWindows() {
        return windows.stream().mapToInt(Integer::intValue).toArray();
    }
}
