package dev.mhc.hf.onnx;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mhc.core.io.TensorSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an ONNX export tells about its BERT configuration, since an export ships no
 * {@code config.json}. Sizes come from the imported tensor shapes; the head count and the
 * LayerNorm epsilon are read from layer 0's graph constants.
 *
 * <p>A value the export does not show is 0 ({@code layerNormEps}: NaN); the attention head
 * count in particular is only found in exports that reshape with constant head sizes, as the
 * torch exporter does.
 *
 * @param vocabSize rows of {@code embeddings.word_embeddings.weight}
 * @param hiddenSize columns of {@code embeddings.word_embeddings.weight}
 * @param numHiddenLayers number of encoder layers with weights
 * @param numAttentionHeads heads of layer 0's self-attention
 * @param intermediateSize rows of {@code encoder.layer.0.intermediate.dense.weight}
 * @param maxPositionEmbeddings rows of {@code embeddings.position_embeddings.weight}
 * @param typeVocabSize rows of {@code embeddings.token_type_embeddings.weight}
 * @param layerNormEps epsilon of the embeddings LayerNorm
 */
public record OnnxBertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
        int intermediateSize, int maxPositionEmbeddings, int typeVocabSize, double layerNormEps) {

    /**
     * @return the BertConfig to build a model for these weights (exact GELU, as BERT exports
     *     compute it with Erf; dropout is irrelevant for inference and kept at HF's defaults)
     */
    /** @return the config.json Hugging Face would have written for this model (model_type "bert") */
    public ObjectNode toConfigTree() {
        if (numAttentionHeads <= 0) {
            throw new IllegalStateException(
                    "the export does not show its attention head count (no constant head-size reshape"
                            + " in layer 0); build the BertConfig by hand");
        }
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("model_type", "bert");
        tree.put("vocab_size", vocabSize);
        tree.put("hidden_size", hiddenSize);
        tree.put("num_hidden_layers", numHiddenLayers);
        tree.put("num_attention_heads", numAttentionHeads);
        tree.put("intermediate_size", intermediateSize);
        tree.put("hidden_act", "gelu");
        tree.put("max_position_embeddings", maxPositionEmbeddings);
        tree.put("type_vocab_size", typeVocabSize);
        if (!Double.isNaN(layerNormEps)) {
            tree.put("layer_norm_eps", layerNormEps);
        }
        return tree;
    }

    static OnnxBertConfig infer(OnnxModel model, TensorSource tensors, int layers) throws OnnxFormatException {
        int vocab = dim(tensors, "embeddings.word_embeddings.weight", 0);
        int hidden = dim(tensors, "embeddings.word_embeddings.weight", 1);
        if (hidden == 0) {
            hidden = dim(tensors, "encoder.layer.0.attention.self.query.weight", 0);
        }
        return new OnnxBertConfig(vocab, hidden, layers, heads(model, hidden),
                dim(tensors, "encoder.layer.0.intermediate.dense.weight", 0),
                dim(tensors, "embeddings.position_embeddings.weight", 0),
                dim(tensors, "embeddings.token_type_embeddings.weight", 0), epsilon(model));
    }

    private static int dim(TensorSource tensors, String key, int axis) {
        return tensors.contains(key) ? (int) tensors.info(key).shape()[axis] : 0;
    }

    /**
     * Attention splits [batch, seq, hidden] into [batch, seq, heads, headSize] with a Reshape whose
     * target shape is a constant, or a Concat of dynamic sizes and constants; the first with
     * heads * headSize = hidden gives the head count.
     */
    private static int heads(OnnxModel model, int hidden) throws OnnxFormatException {
        for (OnnxNode node : model.nodes()) {
            if (!node.opType().equals("Reshape") || node.inputs().size() < 2
                    || !BertKeys.modulePath(node.name()).equals("encoder.layer.0.attention.self")) {
                continue;
            }
            List<Long> shape = shapeValues(model, node.inputs().get(1));
            if (shape.size() == 4 && shape.get(2) > 0 && shape.get(2) * shape.get(3) == hidden) {
                return shape.get(2).intValue();
            }
        }
        return 0;
    }

    /** The values of a shape tensor, with -1 for each dimension computed at run time. */
    private static List<Long> shapeValues(OnnxModel model, String value) throws OnnxFormatException {
        List<Long> out = new ArrayList<>();
        Optional<OnnxTensor> constant = model.constant(value);
        if (constant.isPresent() && isInteger(constant.get())) {
            for (long v : constant.get().toLongs()) {
                out.add(v);
            }
            return out;
        }
        Optional<OnnxNode> concat = model.producer(value).filter(n -> n.opType().equals("Concat"));
        if (concat.isPresent()) {
            for (String part : concat.get().inputs()) {
                Optional<OnnxTensor> c = model.constant(part);
                if (c.isPresent() && isInteger(c.get())) {
                    for (long v : c.get().toLongs()) {
                        out.add(v);
                    }
                } else {
                    out.add(-1L);
                }
            }
        }
        return out;
    }

    /** LayerNorm decomposed as (x - mean) / sqrt(var + eps): eps is the scalar constant the Add uses. */
    private static double epsilon(OnnxModel model) throws OnnxFormatException {
        for (OnnxNode node : model.nodes()) {
            if (!node.opType().equals("Add") || !BertKeys.modulePath(node.name()).equals("embeddings.LayerNorm")) {
                continue;
            }
            for (String input : node.inputs()) {
                Optional<OnnxTensor> c = model.constant(input);
                if (c.isPresent() && c.get().numel() == 1 && c.get().dataType() == OnnxDataType.FLOAT) {
                    // the float's shortest decimal, so 1e-12 stored as float reads back as 1e-12
                    return Double.parseDouble(Float.toString(c.get().toFloats()[0]));
                }
            }
        }
        return Double.NaN;
    }

    private static boolean isInteger(OnnxTensor t) {
        return t.dataType() == OnnxDataType.INT64 || t.dataType() == OnnxDataType.INT32;
    }
}
