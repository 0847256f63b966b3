package dev.mhc.examples.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.bert.BertModel;
import java.util.function.Consumer;

/**
 * The forward cost of history mixing: a BERT-base-sized model (random weights from its config),
 * batch 8 x 128 tokens, f32, plain and with mHC (H = 4) injected, the two interleaved after a
 * warm-up so that drift in the machine's speed hits both alike.
 */
public final class MixingOverheadBenchmark {

    private static final int REPEATS = 5;

    private MixingOverheadBenchmark() {}

    /** Measures both figures, handing each to {@code figures} once measured. */
    public static void run(Consumer<Figure> figures) {
        try (NDManager manager = NDManager.newBaseManager()) {
            BertModel model = new BertModel(BertConfig.base());
            Weights.initialize(model, manager);
            double[] plain = new double[REPEATS];
            double[] injected = new double[REPEATS];
            for (int r = -1; r < REPEATS; r++) { // r = -1 warms both up
                double p = forwardMillis(model, manager);
                Mhc.injectMhc(model, "BertLayer", 4);
                double i = forwardMillis(model, manager);
                Mhc.remove(model);
                if (r >= 0) {
                    plain[r] = p;
                    injected[r] = i;
                }
            }
            Figure baseline = Figure.of("BERT-base forward 8x128, plain", "ms", plain, "-", Double.NaN);
            figures.accept(baseline);
            figures.accept(Figure.of("BERT-base forward 8x128, mHC H=4", "ms", injected, baseline.name(),
                    baseline.median()));
        }
    }

    private static double forwardMillis(BertModel model, NDManager manager) {
        try (NDManager call = manager.newSubManager()) {
            NDList inputs = new NDList(call.randomInteger(1000, 30000, new Shape(8, 128), DataType.INT64));
            long start = System.nanoTime();
            model.forward(new ParameterStore(call, false), inputs, false).head().toFloatArray();
            return (System.nanoTime() - start) / 1e6;
        }
    }
}
