package dev.mhc.hf.rotary;

import dev.mhc.core.module.Module;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * One rotary decoder, as a family's config describes it: everything {@link RotaryDecoderModel}
 * and {@link RotaryDecoderForCausalLM} build and run from. Each family's config record makes one
 * ({@code LlamaConfig.decoder()}).
 *
 * @param family the HF class-name prefix ({@code "Llama"}): the causal LM is {@code
 *     LlamaForCausalLM}, norms {@code LlamaRMSNorm}
 * @param baseClassName HF's name of the base model ({@code "LlamaModel"}, {@code "Gemma3TextModel"})
 * @param embeddingScale what token embeddings are multiplied by (Gemma: sqrt(hidden_size))
 * @param normScale how the final norm applies its weight
 * @param ropes per layer, its rotary frequencies (Gemma's local and global layers differ)
 * @param windows per layer, the sliding window (query i sees keys j with i - w < j <= i), 0 for
 *     full causal attention
 * @param layers builds layer i (a {@link RotaryDecoderLayer}, or Gemma's sandwich-normed layer)
 * @param tieWordEmbeddings whether lm_head reuses embed_tokens' weight (and checkpoints omit it)
 * @param finalLogitSoftcapping logits become tanh(logits / cap) cap; {@code null} for none
 * @param eosTokenIds the tokens that end a generated sequence
 */
public record DecoderSpec(
        String family,
        String baseClassName,
        int vocabSize,
        int hiddenSize,
        double embeddingScale,
        RMSNorm.Scale normScale,
        double rmsNormEps,
        List<RotaryEmbedding> ropes,
        List<Integer> windows,
        IntFunction<Module> layers,
        boolean tieWordEmbeddings,
        Double finalLogitSoftcapping,
        Set<Long> eosTokenIds) {

    public DecoderSpec {
        ropes = List.copyOf(ropes);
        windows = List.copyOf(windows);
        eosTokenIds = Set.copyOf(eosTokenIds);
        if (ropes.size() != windows.size()) {
            throw new IllegalArgumentException(ropes.size() + " rotary tables for " + windows.size() + " layers");
        }
    }

    /**
     * The Llama decoder ({@code FAMILYModel}): pre-norm {@link RotaryDecoderLayer}s, embeddings not
     * scaled, one RoPE for every layer, no logit soft-capping.
     */
    public static DecoderSpec preNorm(DecoderLayerSpec layer, int vocabSize, RotaryEmbedding rope,
            List<Integer> windows, boolean tieWordEmbeddings, Set<Long> eosTokenIds) {
        return new DecoderSpec(layer.family(), layer.family() + "Model", vocabSize, layer.hiddenSize(), 1,
                RMSNorm.Scale.WEIGHT, layer.rmsNormEps(), Collections.nCopies(windows.size(), rope), windows,
                i -> new RotaryDecoderLayer(layer, i), tieWordEmbeddings, null, eosTokenIds);
    }

    public int numHiddenLayers() {
        return windows.size();
    }

    /** @return per layer, the window its KV cache keeps (0: everything) */
    public int[] cacheWindows() {
        return windows.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return a norm over the hidden size, as the family makes them */
    public RMSNorm norm() {
        return new RMSNorm(family, hiddenSize, rmsNormEps, normScale);
    }
}
