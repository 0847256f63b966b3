package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;

/** torch's {@code nn.Embedding}: rows of {@code weight} [num, dim] looked up by integer ids. */
public class Embedding extends Module {

    private final long numEmbeddings;
    private final long embeddingDim;
    private final Parameter weight;

    public Embedding(long numEmbeddings, long embeddingDim) {
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.weight = addParameter(Weights.normal("weight", new Shape(numEmbeddings, embeddingDim)));
    }

    public long numEmbeddings() {
        return numEmbeddings;
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray ids = inputs.head();
        NDArray w = f.value(weight, ids);
        return ai.djl.nn.core.Embedding.embedding(ids, w, SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(embeddingDim)};
    }
}
