package dev.mhc.hf.gpt2;

import static dev.mhc.hf.config.ConfigChecks.epsilon;
import static dev.mhc.hf.config.ConfigChecks.layers;
import static dev.mhc.hf.config.ConfigChecks.positive;
import static dev.mhc.hf.config.ConfigChecks.probability;
import static dev.mhc.hf.config.ConfigDefaults.extras;
import static dev.mhc.hf.config.ConfigDefaults.orElse;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.mhc.hf.config.TextModelConfig;
import java.util.Map;

/**
 * A GPT-2 {@code config.json}. Absent keys take Hugging Face's defaults (gpt2 small); settings
 * this implementation does not support are refused here rather than silently ignored.
 */
public record GPT2Config(
        Integer vocabSize,
        Integer nPositions,
        Integer nEmbd,
        Integer nLayer,
        Integer nHead,
        Integer nInner,
        String activationFunction,
        Double residPdrop,
        Double embdPdrop,
        Double attnPdrop,
        Double layerNormEpsilon,
        Boolean scaleAttnWeights,
        Boolean scaleAttnByInverseLayerIdx,
        Boolean reorderAndUpcastAttn,
        Integer bosTokenId,
        Integer eosTokenId,
        Integer padTokenId,
        @JsonAnySetter Map<String, Object> extra) implements TextModelConfig {

    public GPT2Config {
        extra = extras(extra);
        vocabSize = orElse(vocabSize, 50257);
        nPositions = orElse(nPositions, 1024);
        nEmbd = orElse(nEmbd, 768);
        nLayer = orElse(nLayer, 12);
        nHead = orElse(nHead, 12);
        nInner = orElse(nInner, 4 * nEmbd);
        activationFunction = orElse(activationFunction, "gelu_new");
        residPdrop = orElse(residPdrop, 0.1);
        embdPdrop = orElse(embdPdrop, 0.1);
        attnPdrop = orElse(attnPdrop, 0.1);
        layerNormEpsilon = orElse(layerNormEpsilon, 1e-5);
        scaleAttnWeights = orElse(scaleAttnWeights, true);
        scaleAttnByInverseLayerIdx = orElse(scaleAttnByInverseLayerIdx, false);
        reorderAndUpcastAttn = orElse(reorderAndUpcastAttn, false);
        bosTokenId = orElse(bosTokenId, 50256);
        eosTokenId = orElse(eosTokenId, 50256);
        positive("vocab_size", vocabSize);
        positive("n_positions", nPositions);
        positive("n_embd", nEmbd);
        layers("n_layer", nLayer);
        positive("n_head", nHead);
        positive("n_inner", nInner);
        probability("resid_pdrop", residPdrop);
        probability("embd_pdrop", embdPdrop);
        probability("attn_pdrop", attnPdrop);
        epsilon("layer_norm_epsilon", layerNormEpsilon);
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_embd " + nEmbd + " is not divisible by n_head " + nHead);
        }
        if (!scaleAttnWeights || scaleAttnByInverseLayerIdx) {
            throw new IllegalArgumentException(
                    "only scale_attn_weights=true and scale_attn_by_inverse_layer_idx=false are"
                            + " supported (what GPT-2 checkpoints use)");
        }
    }

    /** Without unknown keys: for configs built in code. */
    public GPT2Config(
            Integer vocabSize,
            Integer nPositions,
            Integer nEmbd,
            Integer nLayer,
            Integer nHead,
            Integer nInner,
            String activationFunction,
            Double residPdrop,
            Double embdPdrop,
            Double attnPdrop,
            Double layerNormEpsilon,
            Boolean scaleAttnWeights,
            Boolean scaleAttnByInverseLayerIdx,
            Boolean reorderAndUpcastAttn,
            Integer bosTokenId,
            Integer eosTokenId,
            Integer padTokenId) {
        this(
                vocabSize, nPositions, nEmbd, nLayer, nHead, nInner, activationFunction,
                residPdrop, embdPdrop, attnPdrop, layerNormEpsilon, scaleAttnWeights,
                scaleAttnByInverseLayerIdx, reorderAndUpcastAttn, bosTokenId, eosTokenId,
                padTokenId, Map.of());
    }

    /** The defaults of {@code gpt2} (124M). */
    public static GPT2Config small() {
        return new GPT2Config(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
