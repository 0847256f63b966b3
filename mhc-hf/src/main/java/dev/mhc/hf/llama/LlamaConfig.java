package dev.mhc.hf.llama;

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
import dev.mhc.hf.rotary.RopeSettings;
import dev.mhc.hf.rotary.UniformRopeConfig;
import java.util.Collections;
import java.util.Map;

/**
 * A Llama {@code config.json} ({@code model_type} "llama": Llama 2, 3, 3.1, 3.2 and their
 * fine-tunes). Absent keys take Hugging Face's defaults ({@code head_dim} hidden / heads, {@code
 * num_key_value_heads} the heads); {@code attention_bias} puts biases on q, k, v and o.
 */
public record LlamaConfig(
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
        Boolean mlpBias,
        Boolean tieWordEmbeddings,
        Integer padTokenId,
        Integer bosTokenId,
        Object eosTokenId,
        @JsonAnySetter Map<String, Object> extra) implements TextModelConfig, UniformRopeConfig {

    public static final String FAMILY = "Llama";

    public LlamaConfig {
        extra = extras(extra);
        vocabSize = orElse(vocabSize, 32000);
        hiddenSize = orElse(hiddenSize, 4096);
        intermediateSize = orElse(intermediateSize, 11008);
        numHiddenLayers = orElse(numHiddenLayers, 32);
        numAttentionHeads = orElse(numAttentionHeads, 32);
        positive("num_attention_heads", numAttentionHeads);
        numKeyValueHeads = orElse(numKeyValueHeads, numAttentionHeads);
        headDim = orElse(headDim, hiddenSize / numAttentionHeads);
        hiddenAct = orElse(hiddenAct, "silu");
        maxPositionEmbeddings = orElse(maxPositionEmbeddings, 2048);
        rmsNormEps = orElse(rmsNormEps, 1e-6);
        ropeScaling = ropeScaling == null ? null : Collections.unmodifiableMap(ropeScaling);
        ropeParameters = ropeParameters == null ? null : Collections.unmodifiableMap(ropeParameters);
        attentionBias = orElse(attentionBias, false);
        attentionDropout = orElse(attentionDropout, 0.0);
        mlpBias = orElse(mlpBias, false);
        tieWordEmbeddings = orElse(tieWordEmbeddings, false);
        bosTokenId = orElse(bosTokenId, 1);
        eosTokenId = eosTokenId == null ? 2 : eosTokenId;
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        layers("num_hidden_layers", numHiddenLayers);
        positive("max_position_embeddings", maxPositionEmbeddings);
        epsilon("rms_norm_eps", rmsNormEps);
        probability("attention_dropout", attentionDropout);
        tokenIds("eos_token_id", eosTokenId);
        rotaryHeads(numAttentionHeads, numKeyValueHeads, headDim);
        RopeSettings.uniform(ropeTheta, ropeScaling, ropeParameters); // refuses RoPE unsupported or given twice differently
    }

    /** @return the rotary decoder this config describes */
    public DecoderSpec decoder() {
        AttentionSpec attention = new AttentionSpec(FAMILY, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim,
                attentionBias, attentionBias, null, rmsNormEps, Math.pow(headDim, -0.5), attentionDropout);
        DecoderLayerSpec layer = new DecoderLayerSpec(FAMILY, attention, intermediateSize, hiddenAct, mlpBias, rmsNormEps);
        return DecoderSpec.preNorm(layer, vocabSize, rope().embedding(headDim),
                Collections.nCopies(numHiddenLayers, 0), tieWordEmbeddings, tokenIds("eos_token_id", eosTokenId));
    }
}
