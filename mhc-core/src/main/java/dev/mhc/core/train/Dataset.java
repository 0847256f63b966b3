package dev.mhc.core.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/** Examples addressed by index, turned into batches on demand (in the step's own manager). */
public interface Dataset {

    int size();

    /** @return the examples at {@code indices} as one batch, created in {@code manager} */
    Batch batch(NDManager manager, int[] indices);

    /** @return every index in order, cut into batches of {@code batchSize} (the last may be shorter): for scoring */
    default List<int[]> inOrder(int batchSize) {
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < size(); from += batchSize) {
            int[] indices = new int[Math.min(batchSize, size() - from)];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = from + i;
            }
            batches.add(indices);
        }
        return batches;
    }
}
