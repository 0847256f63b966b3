package dev.mhc.hf.qwen;

import static dev.mhc.hf.config.ConfigChecks.epsilon;
import static dev.mhc.hf.config.ConfigChecks.layers;
import static dev.mhc.hf.config.ConfigChecks.positive;
import static dev.mhc.hf.config.ConfigChecks.probability;
import static dev.mhc.hf.config.ConfigChecks.rotaryHeads;
import static dev.mhc.hf.config.ConfigDefaults.extras;
import static dev.mhc.hf.config.ConfigDefaults.orElse;
import static dev.mhc.hf.config.ConfigDefaults.tokenIds;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.mhc.hf.config.TextModelConfig;
import dev.mhc.hf.rotary.AttentionSpec;
import dev.mhc.hf.rotary.DecoderLayerSpec;
import dev.mhc.hf.rotary.DecoderSpec;
import dev.mhc.hf.rotary.LayerWindows;
import dev.mhc.hf.rotary.RMSNorm;
import dev.mhc.hf.rotary.RopeSettings;
import dev.mhc.hf.rotary.UniformRopeConfig;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A Qwen2 or Qwen3 {@code config.json} ({@code model_type} "qwen2": Qwen2, Qwen2.5; "qwen3": the
 * dense Qwen3 models). Absent keys take Hugging Face's defaults for that model type. Both are the
 * Llama decoder with a {@code sliding_window} that applies only when {@code use_sliding_window} is
 * true (see {@link LayerWindows#qwen}); they differ in three switches:
 *
 * <ul>
 *   <li>Qwen2: biases on q, k and v, none on o ({@code attention_bias} is not Qwen2's key and, as in
 *       HF, changes nothing); {@code head_dim} hidden / heads unless given.
 *   <li>Qwen3: a per-head RMSNorm on queries and keys before RoPE ({@code q_norm}, {@code k_norm});
 *       {@code attention_bias} on q, k, v and o; {@code head_dim} 128 unless given.
 * </ul>
 */
public record QwenConfig(
        String modelType,
        Integer vocabSize,
        Integer hiddenSize,
        Integer intermediateSize,
        Integer numHiddenLayers,
        Integer numAttentionHeads,
        Integer numKeyValueHeads,
        Integer headDim,
        String hiddenAct,
        Integer maxPositionEmbeddings,
        Double rmsNormEps,
        Double ropeTheta,
        Map<String, Object> ropeScaling,
        Map<String, Object> ropeParameters,
        Boolean attentionBias,
        Double attentionDropout,
        Boolean useSlidingWindow,
        Integer slidingWindow,
        Integer maxWindowLayers,
        List<String> layerTypes,
        Boolean tieWordEmbeddings,
        Integer padTokenId,
        Integer bosTokenId,
        Object eosTokenId,
        @JsonAnySetter Map<String, Object> extra) implements TextModelConfig, UniformRopeConfig {

    public static final String QWEN2 = "qwen2";
    public static final String QWEN3 = "qwen3";

    public QwenConfig {
        if (!QWEN2.equals(modelType) && !QWEN3.equals(modelType)) {
            throw new IllegalArgumentException("model_type must be \"qwen2\" or \"qwen3\", got " + modelType);
        }
        extra = extras(extra);
        vocabSize = orElse(vocabSize, 151936);
        hiddenSize = orElse(hiddenSize, 4096);
        intermediateSize = orElse(intermediateSize, 22016);
        numHiddenLayers = orElse(numHiddenLayers, 32);
        numAttentionHeads = orElse(numAttentionHeads, 32);
        positive("num_attention_heads", numAttentionHeads);
        numKeyValueHeads = orElse(numKeyValueHeads, 32);
        headDim = orElse(headDim, QWEN3.equals(modelType) ? 128 : hiddenSize / numAttentionHeads);
        hiddenAct = orElse(hiddenAct, "silu");
        maxPositionEmbeddings = orElse(maxPositionEmbeddings, 32768);
        rmsNormEps = orElse(rmsNormEps, 1e-6);
        ropeScaling = ropeScaling == null ? null : Collections.unmodifiableMap(ropeScaling);
        ropeParameters = ropeParameters == null ? null : Collections.unmodifiableMap(ropeParameters);
        attentionBias = orElse(attentionBias, false);
        attentionDropout = orElse(attentionDropout, 0.0);
        useSlidingWindow = orElse(useSlidingWindow, false);
        maxWindowLayers = orElse(maxWindowLayers, 28);
        tieWordEmbeddings = orElse(tieWordEmbeddings, false);
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        layers("num_hidden_layers", numHiddenLayers);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (slidingWindow != null) {
            positive("sliding_window", slidingWindow);
        }
        epsilon("rms_norm_eps", rmsNormEps);
        probability("attention_dropout", attentionDropout);
        tokenIds("eos_token_id", eosTokenId);
        layerTypes = LayerWindows.checked(layerTypes, numHiddenLayers);
        rotaryHeads(numAttentionHeads, numKeyValueHeads, headDim);
        RopeSettings.uniform(ropeTheta, ropeScaling, ropeParameters); // refuses RoPE unsupported or given twice differently
    }

    /** @return "Qwen2" or "Qwen3": the prefix of HF's class names */
    public String family() {
        return QWEN3.equals(modelType) ? "Qwen3" : "Qwen2";
    }

    /** @return the rotary decoder this config describes */
    public DecoderSpec decoder() {
        boolean qwen3 = QWEN3.equals(modelType);
        AttentionSpec attention = new AttentionSpec(family(), hiddenSize, numAttentionHeads, numKeyValueHeads, headDim,
                qwen3 ? attentionBias : true, qwen3 && attentionBias, qwen3 ? RMSNorm.Scale.WEIGHT : null, rmsNormEps,
                Math.pow(headDim, -0.5), attentionDropout);
        DecoderLayerSpec layer = new DecoderLayerSpec(family(), attention, intermediateSize, hiddenAct, false, rmsNormEps);
        return DecoderSpec.preNorm(layer, vocabSize, rope().embedding(headDim),
                LayerWindows.qwen(layerTypes, numHiddenLayers, useSlidingWindow, slidingWindow, maxWindowLayers),
                tieWordEmbeddings, tokenIds("eos_token_id", eosTokenId));
    }
}
