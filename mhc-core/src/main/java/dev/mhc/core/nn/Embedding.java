package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
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
    protected NDList forwardModule(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.head();
        NDArray w = ps.getValue(weight, ids.getDevice(), training);
        return ai.djl.nn.core.Embedding.embedding(ids, w, SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(embeddingDim)};
    }
}
