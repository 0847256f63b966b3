package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.util.List;

/**
 * Sentence embeddings of texts as Java arrays: one forward of a BERT-family encoder over the texts
 * as one padded batch, then {@link MeanPooling}. The single-machine {@code mhc embed} and the Spark
 * job both go through here, so they compute the same thing.
 */
public final class SentenceEmbeddings {

    private SentenceEmbeddings() {}

    /** @return one unit-length row per text, in order; arrays made on the way are freed */
    public static float[][] embed(PretrainedModel model, TextTokenizer tokenizer, List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        try (NDManager manager = model.manager().newSubManager()) {
            NDList inputs = tokenizer.encode(texts).toNDList(manager);
            NDArray embeddings = MeanPooling.embed(model.predict(inputs).head(), inputs.get(1));
            float[][] rows = new float[texts.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = embeddings.get(i).toFloatArray();
            }
            return rows;
        }
    }
}
