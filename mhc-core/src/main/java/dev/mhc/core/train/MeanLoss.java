package dev.mhc.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** The mean loss over a dataset, in batches, without training: a held-out score. */
public final class MeanLoss {

    private MeanLoss() {}

    /** @return {@code loss} averaged over the examples of {@code data} (each batch weighted by its size) */
    public static double of(Block model, Dataset data, Loss loss, NDManager manager, int batchSize) {
        double sum = 0;
        for (int[] indices : data.inOrder(batchSize)) {
            try (NDManager call = manager.newSubManager()) {
                Batch batch = data.batch(call, indices);
                sum += loss.compute(model.forward(new ParameterStore(call, false), batch.inputs(), false), batch.labels())
                        .getFloat() * indices.length;
            }
        }
        return sum / data.size();
    }
}
