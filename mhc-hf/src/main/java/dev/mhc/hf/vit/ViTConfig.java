package dev.mhc.hf.vit;

import static dev.mhc.hf.config.ConfigChecks.epsilon;
import static dev.mhc.hf.config.ConfigChecks.layers;
import static dev.mhc.hf.config.ConfigChecks.positive;
import static dev.mhc.hf.config.ConfigChecks.probability;
import static dev.mhc.hf.config.ConfigDefaults.extras;
import static dev.mhc.hf.config.ConfigDefaults.labels;
import static dev.mhc.hf.config.ConfigDefaults.orElse;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * A ViT {@code config.json}. Absent keys take Hugging Face's defaults (ViT-Base/16 at 224);
 * impossible values are refused here, before a model is built.
 */
public record ViTConfig(
        Integer hiddenSize,
        Integer numHiddenLayers,
        Integer numAttentionHeads,
        Integer intermediateSize,
        String hiddenAct,
        Double hiddenDropoutProb,
        Double attentionProbsDropoutProb,
        Double layerNormEps,
        Integer imageSize,
        Integer patchSize,
        Integer numChannels,
        Boolean qkvBias,
        Integer poolerOutputSize,
        String poolerAct,
        Map<String, String> id2label,
        @JsonAnySetter Map<String, Object> extra) {

    public ViTConfig {
        extra = extras(extra);
        hiddenSize = orElse(hiddenSize, 768);
        numHiddenLayers = orElse(numHiddenLayers, 12);
        numAttentionHeads = orElse(numAttentionHeads, 12);
        intermediateSize = orElse(intermediateSize, 3072);
        hiddenAct = orElse(hiddenAct, "gelu");
        hiddenDropoutProb = orElse(hiddenDropoutProb, 0.0);
        attentionProbsDropoutProb = orElse(attentionProbsDropoutProb, 0.0);
        layerNormEps = orElse(layerNormEps, 1e-12);
        imageSize = orElse(imageSize, 224);
        patchSize = orElse(patchSize, 16);
        numChannels = orElse(numChannels, 3);
        qkvBias = orElse(qkvBias, true);
        poolerOutputSize = orElse(poolerOutputSize, hiddenSize);
        poolerAct = orElse(poolerAct, "tanh");
        id2label = labels(id2label);
        positive("hidden_size", hiddenSize);
        layers("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("image_size", imageSize);
        positive("patch_size", patchSize);
        positive("num_channels", numChannels);
        positive("pooler_output_size", poolerOutputSize);
        probability("hidden_dropout_prob", hiddenDropoutProb);
        probability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        epsilon("layer_norm_eps", layerNormEps);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + numAttentionHeads);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "image_size " + imageSize + " is not a multiple of patch_size " + patchSize
                            + ": the image must split into whole patches");
        }
    }

    /** Without unknown keys: for configs built in code. */
    public ViTConfig(
            Integer hiddenSize,
            Integer numHiddenLayers,
            Integer numAttentionHeads,
            Integer intermediateSize,
            String hiddenAct,
            Double hiddenDropoutProb,
            Double attentionProbsDropoutProb,
            Double layerNormEps,
            Integer imageSize,
            Integer patchSize,
            Integer numChannels,
            Boolean qkvBias,
            Integer poolerOutputSize,
            String poolerAct,
            Map<String, String> id2label) {
        this(
                hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct,
                hiddenDropoutProb, attentionProbsDropoutProb, layerNormEps, imageSize, patchSize,
                numChannels, qkvBias, poolerOutputSize, poolerAct, id2label, Map.of());
    }

    /** The defaults of {@code google/vit-base-patch16-224}. */
    public static ViTConfig base() {
        return new ViTConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** @return patches per image: (image_size / patch_size)^2 */
    public int numPatches() {
        int side = imageSize / patchSize;
        return side * side;
    }

    public int numLabels() {
        return id2label.size();
    }
}
