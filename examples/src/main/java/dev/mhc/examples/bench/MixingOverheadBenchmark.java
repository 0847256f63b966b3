package dev.mhc.examples.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.bert.BertModel;
import java.util.function.Consumer;

/**
 * The forward cost of history mixing on a BERT-base-sized model (random weights from its config),
 * batch 8 x 128 tokens, f32: plain against mHC (H = 4) injected, rounds interleaved.
 */
public final class MixingOverheadBenchmark {

    private MixingOverheadBenchmark() {}

    public static void run(Consumer<Figure> figures) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            BertModel model = new BertModel(BertConfig.base());
            Weights.initialize(model, manager);
            double[][] rounds = Rounds.interleave(5, 3, runs -> forwards(model, manager, runs), runs -> {
                Mhc.injectMhc(model, "BertLayer", 4);
                try {
                    return forwards(model, manager, runs);
                } finally {
                    Mhc.remove(model);
                }
            });
            figures.accept(Figure.of("mhc-forward-overhead-bert-base-8x128", "ms", rounds[1], "plain BERT-base",
                    rounds[0], MiniLmBenchmark.threads()));
        }
    }

    private static double[] forwards(BertModel model, NDManager manager, int runs) throws Exception {
        return Rounds.timed(runs, () -> {
            try (NDManager call = manager.newSubManager()) {
                NDList inputs = new NDList(call.create(BenchInputs.ids(8, 128)));
                model.forward(new ParameterStore(call, false), inputs, false).head().toFloatArray();
            }
        });
    }
}
