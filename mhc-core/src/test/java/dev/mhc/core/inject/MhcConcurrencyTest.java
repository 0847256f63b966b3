package dev.mhc.core.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.mhc.core.testing.ToyEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Each forward call has its own history: threads sharing one model get sequential results. */
class MhcConcurrencyTest {

    private static final int THREADS = 8;
    private static final int CALLS = 50;

    @Test
    void eightThreadsGetExactlyTheSequentialResults() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ToyEncoder model = ToyEncoder.of(6, manager);
            Mhc.builder().target("ToyLayer").maxHistory(4).epsilon(0.3).inject(model);

            float[][][] sequential = new float[THREADS][CALLS][];
            for (int t = 0; t < THREADS; t++) {
                for (int c = 0; c < CALLS; c++) {
                    sequential[t][c] = call(model, manager, t * CALLS + c);
                }
            }

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<float[][]>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    results.add(
                            pool.submit(
                                    () -> {
                                        float[][] out = new float[CALLS][];
                                        for (int c = 0; c < CALLS; c++) {
                                            out[c] = call(model, manager, thread * CALLS + c);
                                        }
                                        return out;
                                    }));
                }
                for (int t = 0; t < THREADS; t++) {
                    float[][] concurrent = results.get(t).get();
                    for (int c = 0; c < CALLS; c++) {
                        assertArrayEquals(sequential[t][c], concurrent[c], "thread " + t + " call " + c);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** One inference call with its own sub-manager and parameter store, as a DJL predictor. */
    private static float[] call(ToyEncoder model, NDManager manager, int seed) {
        try (NDManager call = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(call, false);
            return model.forward(ps, new NDList(ToyEncoder.input(call, seed)), false).head().toFloatArray();
        }
    }
}
