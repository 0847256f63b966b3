package dev.mhc.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Share of examples whose argmax logit is the label, in batches. */
public final class Accuracy {

    private Accuracy() {}

    /** @return the share of {@code data} whose argmax logit equals its label */
    public static double of(Block model, Dataset data, NDManager manager, int batchSize) {
        long correct = 0;
        for (int[] indices : data.inOrder(batchSize)) {
            try (NDManager call = manager.newSubManager()) {
                Batch batch = data.batch(call, indices);
                correct += model.forward(new ParameterStore(call, false), batch.inputs(), false).head()
                        .argMax(-1).eq(batch.labels()).sum().getLong();
            }
        }
        return correct / (double) data.size();
    }
}
