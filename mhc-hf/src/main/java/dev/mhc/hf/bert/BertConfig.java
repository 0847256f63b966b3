package dev.mhc.hf.bert;

import static dev.mhc.hf.config.ConfigChecks.epsilon;
import static dev.mhc.hf.config.ConfigChecks.layers;
import static dev.mhc.hf.config.ConfigChecks.positive;
import static dev.mhc.hf.config.ConfigChecks.probability;
import static dev.mhc.hf.config.ConfigDefaults.extras;
import static dev.mhc.hf.config.ConfigDefaults.labels;
import static dev.mhc.hf.config.ConfigDefaults.orElse;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.mhc.hf.config.TextModelConfig;
import java.util.Map;

/**
 * A BERT {@code config.json}. Absent keys take Hugging Face's defaults; impossible values are
 * refused here, before a model is built.
 */
public record BertConfig(
        Integer vocabSize,
        Integer hiddenSize,
        Integer numHiddenLayers,
        Integer numAttentionHeads,
        Integer intermediateSize,
        String hiddenAct,
        Double hiddenDropoutProb,
        Double attentionProbsDropoutProb,
        Integer maxPositionEmbeddings,
        Integer typeVocabSize,
        Double layerNormEps,
        Integer padTokenId,
        String positionEmbeddingType,
        Double classifierDropout,
        Map<String, String> id2label,
        @JsonAnySetter Map<String, Object> extra) implements TextModelConfig {

    public BertConfig {
        extra = extras(extra);
        vocabSize = orElse(vocabSize, 30522);
        hiddenSize = orElse(hiddenSize, 768);
        numHiddenLayers = orElse(numHiddenLayers, 12);
        numAttentionHeads = orElse(numAttentionHeads, 12);
        intermediateSize = orElse(intermediateSize, 3072);
        hiddenAct = hiddenAct == null ? "gelu" : hiddenAct;
        hiddenDropoutProb = orElse(hiddenDropoutProb, 0.1);
        attentionProbsDropoutProb = orElse(attentionProbsDropoutProb, 0.1);
        maxPositionEmbeddings = orElse(maxPositionEmbeddings, 512);
        typeVocabSize = orElse(typeVocabSize, 2);
        layerNormEps = orElse(layerNormEps, 1e-12);
        padTokenId = orElse(padTokenId, 0);
        positionEmbeddingType = positionEmbeddingType == null ? "absolute" : positionEmbeddingType;
        id2label = labels(id2label);
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        layers("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("type_vocab_size", typeVocabSize);
        probability("hidden_dropout_prob", hiddenDropoutProb);
        probability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        probability("classifier_dropout", classifierDropout);
        epsilon("layer_norm_eps", layerNormEps);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size "
                            + hiddenSize
                            + " is not divisible by num_attention_heads "
                            + numAttentionHeads
                            + ": each head gets hidden_size / num_attention_heads dimensions");
        }
        if (!"absolute".equals(positionEmbeddingType)) {
            throw new IllegalArgumentException(
                    "position_embedding_type \""
                            + positionEmbeddingType
                            + "\" is not supported; only \"absolute\" (what BERT checkpoints use)");
        }
    }

    /** Without unknown keys: for configs built in code. */
    public BertConfig(
            Integer vocabSize,
            Integer hiddenSize,
            Integer numHiddenLayers,
            Integer numAttentionHeads,
            Integer intermediateSize,
            String hiddenAct,
            Double hiddenDropoutProb,
            Double attentionProbsDropoutProb,
            Integer maxPositionEmbeddings,
            Integer typeVocabSize,
            Double layerNormEps,
            Integer padTokenId,
            String positionEmbeddingType,
            Double classifierDropout,
            Map<String, String> id2label) {
        this(
                vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings,
                typeVocabSize, layerNormEps, padTokenId, positionEmbeddingType, classifierDropout,
                id2label, Map.of());
    }

    /** The defaults of {@code bert-base-uncased}. */
    public static BertConfig base() {
        return new BertConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    public int numLabels() {
        return id2label.size();
    }

    /** The dropout of a classification head: classifier_dropout, else hidden_dropout_prob. */
    public double headDropout() {
        return classifierDropout != null ? classifierDropout : hiddenDropoutProb;
    }
}
