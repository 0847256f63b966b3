package dev.mhc.hf.gemma3;

import static dev.mhc.hf.config.ConfigChecks.epsilon;
import static dev.mhc.hf.config.ConfigChecks.layers;
import static dev.mhc.hf.config.ConfigChecks.positive;
import static dev.mhc.hf.config.ConfigChecks.probability;
import static dev.mhc.hf.config.ConfigChecks.positiveFinite;
import static dev.mhc.hf.config.ConfigDefaults.extras;
import static dev.mhc.hf.config.ConfigDefaults.orElse;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.mhc.hf.config.ConfigChecks;
import dev.mhc.hf.config.ConfigDefaults;
import dev.mhc.hf.config.NestedConfigKeys;
import dev.mhc.hf.config.TextModelConfig;
import dev.mhc.hf.rotary.AttentionSpec;
import dev.mhc.hf.rotary.DecoderSpec;
import dev.mhc.hf.rotary.LayerWindows;
import dev.mhc.hf.rotary.RMSNorm;
import dev.mhc.hf.rotary.RopeSettings;
import dev.mhc.hf.rotary.RotaryEmbedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Gemma 3 text {@code config.json} ({@code model_type} "gemma3_text"). Absent keys take Hugging
 * Face's defaults; unsupported settings are refused here.
 *
 * <p>Layer kinds come from {@code layer_types} when given (newer configs), else from {@code
 * sliding_window_pattern} (transformers 4.50; 5.x writes {@code _sliding_window_pattern}): layer i
 * is global when (i + 1) % pattern == 0. RoPE comes from either form (see {@link RopeSettings}).
 * {@code attn_logit_softcapping} is kept but, as in HF 4.49-4.51, never applied; {@code
 * final_logit_softcapping} is.
 */
public record Gemma3TextConfig(
        Integer vocabSize,
        Integer hiddenSize,
        Integer intermediateSize,
        Integer numHiddenLayers,
        Integer numAttentionHeads,
        Integer numKeyValueHeads,
        Integer headDim,
        String hiddenActivation,
        Integer maxPositionEmbeddings,
        Double rmsNormEps,
        Double ropeTheta,
        Double ropeLocalBaseFreq,
        Map<String, Object> ropeScaling,
        Map<String, Object> ropeParameters,
        Boolean attentionBias,
        Double attentionDropout,
        Double queryPreAttnScalar,
        Integer slidingWindow,
        @JsonAlias("_sliding_window_pattern") Integer slidingWindowPattern,
        List<String> layerTypes,
        Double finalLogitSoftcapping,
        Double attnLogitSoftcapping,
        Integer padTokenId,
        Object eosTokenId,
        Integer bosTokenId,
        @JsonAnySetter Map<String, Object> extra) implements TextModelConfig, NestedConfigKeys {

    public static final String FAMILY = "Gemma3";

    public Gemma3TextConfig {
        extra = extras(extra);
        vocabSize = orElse(vocabSize, 262208);
        hiddenSize = orElse(hiddenSize, 2304);
        intermediateSize = orElse(intermediateSize, 9216);
        numHiddenLayers = orElse(numHiddenLayers, 26);
        numAttentionHeads = orElse(numAttentionHeads, 8);
        numKeyValueHeads = orElse(numKeyValueHeads, 4);
        headDim = orElse(headDim, 256);
        hiddenActivation = orElse(hiddenActivation, "gelu_pytorch_tanh");
        maxPositionEmbeddings = orElse(maxPositionEmbeddings, 131072);
        rmsNormEps = orElse(rmsNormEps, 1e-6);
        ropeScaling = ropeScaling == null ? null : Collections.unmodifiableMap(ropeScaling);
        ropeParameters = ropeParameters == null ? null : Collections.unmodifiableMap(ropeParameters);
        attentionBias = orElse(attentionBias, false);
        attentionDropout = orElse(attentionDropout, 0.0);
        queryPreAttnScalar = orElse(queryPreAttnScalar, 256.0);
        slidingWindow = orElse(slidingWindow, 4096);
        slidingWindowPattern = orElse(slidingWindowPattern, 6);
        padTokenId = orElse(padTokenId, 0);
        bosTokenId = orElse(bosTokenId, 2);
        eosTokenId = eosTokenId == null ? 1 : eosTokenId;
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        layers("num_hidden_layers", numHiddenLayers);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("sliding_window", slidingWindow);
        positive("sliding_window_pattern", slidingWindowPattern);
        epsilon("rms_norm_eps", rmsNormEps);
        positiveFinite("query_pre_attn_scalar", queryPreAttnScalar);
        positiveFinite("final_logit_softcapping", finalLogitSoftcapping);
        positiveFinite("attn_logit_softcapping", attnLogitSoftcapping);
        probability("attention_dropout", attentionDropout);
        ConfigDefaults.tokenIds("eos_token_id", eosTokenId);
        layerTypes = LayerWindows.checked(layerTypes, numHiddenLayers);
        ConfigChecks.rotaryHeads(numAttentionHeads, numKeyValueHeads, headDim);
        if (ropeParameters != null && !RopeSettings.isPerLayerType(ropeParameters)) {
            throw new IllegalArgumentException("Gemma 3's rope_parameters is keyed by layer type ({\"full_attention\":"
                    + " {...}, \"sliding_attention\": {...}}), got " + ropeParameters);
        }
        // refuses a RoPE setting that is unsupported or given twice differently
        globalRope(ropeTheta, ropeScaling, ropeParameters);
        localRope(ropeLocalBaseFreq, ropeParameters);
    }

    /** @return RoPE of the global layers: rope_theta and rope_scaling (4.x), or rope_parameters.full_attention (5.x) */
    public RopeSettings globalRope() {
        return globalRope(ropeTheta, ropeScaling, ropeParameters);
    }

    /** @return RoPE of the local layers: rope_local_base_freq (4.x), or rope_parameters.sliding_attention (5.x) */
    public RopeSettings localRope() {
        return localRope(ropeLocalBaseFreq, ropeParameters);
    }

    private static RopeSettings globalRope(Double ropeTheta, Map<String, Object> ropeScaling,
            Map<String, Object> ropeParameters) {
        return RopeSettings.resolve(ropeTheta, ropeScaling, ropeEntry(ropeParameters, LayerWindows.FULL), 1_000_000.0,
                "rope_parameters." + LayerWindows.FULL);
    }

    private static RopeSettings localRope(Double ropeLocalBaseFreq, Map<String, Object> ropeParameters) {
        return RopeSettings.resolve(ropeLocalBaseFreq, null, ropeEntry(ropeParameters, LayerWindows.SLIDING), 10_000.0,
                "rope_parameters." + LayerWindows.SLIDING);
    }

    private static Map<String, Object> ropeEntry(Map<String, Object> ropeParameters, String layerType) {
        return RopeSettings.entry(ropeParameters, layerType, Set.of(LayerWindows.FULL, LayerWindows.SLIDING));
    }

    @Override
    public List<String> unusedNestedKeys() {
        List<String> unused = new ArrayList<>(globalRope().unusedKeys());
        unused.addAll(localRope().unusedKeys());
        return unused;
    }

    /** @return every layer's attention: q/k norms scaled by 1 + weight, scores by query_pre_attn_scalar^-0.5 */
    public AttentionSpec attention() {
        return new AttentionSpec(FAMILY, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim, attentionBias,
                attentionBias, RMSNorm.Scale.ONE_PLUS_WEIGHT, rmsNormEps, Math.pow(queryPreAttnScalar, -0.5),
                attentionDropout);
    }

    /**
     * @return the decoder: embeddings times sqrt(hidden_size), sandwich-normed {@link
     *     Gemma3DecoderLayer}s, local layers with the sliding window and RoPE at
     *     rope_local_base_freq, global ones with rope_theta and its scaling, a tied head
     */
    public DecoderSpec decoder() {
        RotaryEmbedding global = globalRope().embedding(headDim);
        RotaryEmbedding local = localRope().embedding(headDim);
        List<RotaryEmbedding> ropes = new ArrayList<>();
        for (int i = 0; i < numHiddenLayers; i++) {
            ropes.add(isSliding(i) ? local : global);
        }
        return new DecoderSpec(FAMILY, "Gemma3TextModel", vocabSize, hiddenSize, Math.sqrt(hiddenSize),
                RMSNorm.Scale.ONE_PLUS_WEIGHT, rmsNormEps, ropes, Arrays.stream(cacheWindows()).boxed().toList(),
                i -> new Gemma3DecoderLayer(this, i), true, finalLogitSoftcapping, eosTokenIds());
    }

    /** @return whether layer {@code i} attends within the sliding window (a local layer) */
    public boolean isSliding(int i) {
        return layerTypes != null ? LayerWindows.SLIDING.equals(layerTypes.get(i)) : (i + 1) % slidingWindowPattern != 0;
    }

    /** @return per layer, the window its KV cache keeps: sliding_window, or 0 for global layers */
    public int[] cacheWindows() {
        int[] windows = new int[numHiddenLayers];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = isSliding(i) ? slidingWindow : 0;
        }
        return windows;
    }

    /** @return the ids that end a sequence (eos_token_id may be a number or a list) */
    public Set<Long> eosTokenIds() {
        return ConfigDefaults.tokenIds("eos_token_id", eosTokenId);
    }
}
