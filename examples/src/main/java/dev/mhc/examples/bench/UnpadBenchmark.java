package dev.mhc.examples.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.unpad.UnpadPatch;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The unpad patch on a ragged batch: MiniLM on 32 sequences whose lengths spread evenly over
 * 8..128 (padded to 128), the padded model against the same weights with the patch, rounds
 * interleaved. The ratio is unpadded time / padded time.
 */
public final class UnpadBenchmark {

    static final int SEQUENCES = 32;
    static final int LONGEST = 128;

    private UnpadBenchmark() {}

    public static void run(Consumer<Figure> figures) throws Exception {
        try (PretrainedModel padded = AutoModel.miniLm();
                PretrainedModel unpadded = AutoModel.miniLm(LoadOptions.defaults().patch(UnpadPatch.NAME, Map.of()));
                NDManager manager = NDManager.newBaseManager()) {
            long[][] mask = mask();
            double[][] rounds = Rounds.interleave(5, 3, runs -> forwards(padded, manager, mask, runs),
                    runs -> forwards(unpadded, manager, mask, runs));
            figures.accept(Figure.of("unpad-ragged-32", "ms", rounds[1], "padded MiniLM (32 x 128, lengths 8..128)",
                    rounds[0], MiniLmBenchmark.threads()));
        }
    }

    /** Lengths 8 + round(120 i / 31): 8, 12, 16, ..., 128 (mean 68 of 128). */
    static long[][] mask() {
        long[][] mask = new long[SEQUENCES][LONGEST];
        for (int i = 0; i < SEQUENCES; i++) {
            int length = 8 + (int) Math.round(120.0 * i / (SEQUENCES - 1));
            for (int t = 0; t < length; t++) {
                mask[i][t] = 1;
            }
        }
        return mask;
    }

    private static double[] forwards(PretrainedModel model, NDManager manager, long[][] mask, int runs) throws Exception {
        return Rounds.timed(runs, () -> {
            try (NDManager call = manager.newSubManager()) {
                NDList inputs = new NDList(call.create(BenchInputs.ids(SEQUENCES, LONGEST)), call.create(mask));
                model.block().forward(new ParameterStore(call, false), inputs, false).head().toFloatArray();
            }
        });
    }
}
