package dev.mhc.hf.qwen2;

import static dev.mhc.hf.config.ConfigChecks.epsilon;
import static dev.mhc.hf.config.ConfigChecks.positive;
import static dev.mhc.hf.config.ConfigChecks.positiveFinite;
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
import dev.mhc.hf.rotary.RotaryEmbedding;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A Qwen2 {@code config.json} ({@code model_type} "qwen2": Qwen2, Qwen2.5 and their fine-tunes).
 * Absent keys take Hugging Face's defaults. The Llama decoder with biases on q, k and v (not o);
 * {@code sliding_window} applies only when {@code use_sliding_window} is true (see {@link
 * LayerWindows#qwen}).
 */
public record Qwen2Config(
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
        Double attentionDropout,
        Boolean useSlidingWindow,
        Integer slidingWindow,
        Integer maxWindowLayers,
        List<String> layerTypes,
        Boolean tieWordEmbeddings,
        Integer padTokenId,
        Integer bosTokenId,
        Object eosTokenId,
        @JsonAnySetter Map<String, Object> extra) implements TextModelConfig {

    public static final String FAMILY = "Qwen2";

    public Qwen2Config {
        extra = extras(extra);
        vocabSize = orElse(vocabSize, 151936);
        hiddenSize = orElse(hiddenSize, 4096);
        intermediateSize = orElse(intermediateSize, 22016);
        numHiddenLayers = orElse(numHiddenLayers, 32);
        numAttentionHeads = orElse(numAttentionHeads, 32);
        positive("num_attention_heads", numAttentionHeads);
        numKeyValueHeads = orElse(numKeyValueHeads, 32);
        headDim = orElse(headDim, hiddenSize / numAttentionHeads);
        hiddenAct = orElse(hiddenAct, "silu");
        maxPositionEmbeddings = orElse(maxPositionEmbeddings, 32768);
        rmsNormEps = orElse(rmsNormEps, 1e-6);
        ropeTheta = orElse(ropeTheta, 10_000.0);
        ropeScaling = ropeScaling == null ? null : Collections.unmodifiableMap(ropeScaling);
        attentionDropout = orElse(attentionDropout, 0.0);
        useSlidingWindow = orElse(useSlidingWindow, false);
        maxWindowLayers = orElse(maxWindowLayers, 28);
        tieWordEmbeddings = orElse(tieWordEmbeddings, false);
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (slidingWindow != null) {
            positive("sliding_window", slidingWindow);
        }
        epsilon("rms_norm_eps", rmsNormEps);
        positiveFinite("rope_theta", ropeTheta);
        probability("attention_dropout", attentionDropout);
        tokenIds("eos_token_id", eosTokenId);
        layerTypes = LayerWindows.checked(layerTypes, numHiddenLayers);
        rotaryHeads(numAttentionHeads, numKeyValueHeads, headDim);
        RotaryEmbedding.checkScaling(ropeScaling);
    }

    /** @return the rotary decoder this config describes */
    public DecoderSpec decoder() {
        AttentionSpec attention = new AttentionSpec(FAMILY, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim,
                true, false, null, rmsNormEps, Math.pow(headDim, -0.5), attentionDropout);
        DecoderLayerSpec layer = new DecoderLayerSpec(FAMILY, attention, intermediateSize, hiddenAct, false, rmsNormEps);
        return DecoderSpec.preNorm(layer, vocabSize, RotaryEmbedding.of(headDim, ropeTheta, ropeScaling),
                LayerWindows.qwen(layerTypes, numHiddenLayers, useSlidingWindow, slidingWindow, maxWindowLayers),
                tieWordEmbeddings, tokenIds("eos_token_id", eosTokenId));
    }
}
