package dev.mhc.core.module;

/**
 * A model with an output head over the vocabulary, HF's {@code get_output_embeddings()}: what PEFT's
 * {@code target_modules="all-linear"} leaves out.
 */
public interface OutputEmbeddings {

    /** @return the name of the child that is the output head ({@code lm_head}) */
    String outputEmbeddingsName();

    /** @return whether the entry is its parent's output head */
    static boolean isOutputEmbeddings(ModuleTree.Entry entry) {
        return entry.parent() instanceof OutputEmbeddings model && model.outputEmbeddingsName().equals(entry.name());
    }
}
