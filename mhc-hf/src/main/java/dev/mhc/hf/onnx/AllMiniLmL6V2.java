package dev.mhc.hf.onnx;

import java.io.IOException;

/**
 * The project's embedded default model: sentence-transformers' all-MiniLM-L6-v2 (a 6-layer,
 * 384-wide BERT), as the ONNX export and tokenizer that the langchain4j embeddings jar carries on
 * the classpath. It lets examples and tests run offline, with no model download.
 */
public final class AllMiniLmL6V2 {
    /** Classpath resource of the ONNX export (inputs input_ids, attention_mask, token_type_ids). */
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    /** Classpath resource of the Hugging Face tokenizer (BERT uncased WordPiece). */
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private AllMiniLmL6V2() {}

    /** Imports the embedded model's weights under BertModel names. */
    public static OnnxBertImport importWeights() throws IOException {
        return OnnxBertImport.fromResource(ONNX_RESOURCE);
    }
}
