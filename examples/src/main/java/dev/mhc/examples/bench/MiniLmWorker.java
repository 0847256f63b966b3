package dev.mhc.examples.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Our side of the memory figures, in a fresh JVM (as ONNX Runtime's is): loads the embedded MiniLM,
 * then answers {@code peak BATCH SEQ} with the process's peak resident memory in MB after one
 * forward, or {@code train-step DETACH} with what one LoRA + mHC step adds at its peak.
 */
public final class MiniLmWorker {

    private MiniLmWorker() {}

    public static void main(String[] args) throws Exception {
        try (PretrainedModel model = AutoModel.miniLm();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("ready");
            System.out.flush();
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split(" ");
                double mb;
                if (words[0].equals("train-step")) {
                    mb = TrainingBenchmark.stepPeak(model, Boolean.parseBoolean(words[1]));
                } else {
                    forward(model, Integer.parseInt(words[1]), Integer.parseInt(words[2]));
                    mb = BenchInputs.peakRssMb();
                }
                System.out.println(String.format(Locale.ROOT, "%.1f", mb));
                System.out.flush();
            }
        }
    }

    /** One forward of the embedded MiniLM, inputs made and output read back as ONNX Runtime's side does. */
    static float[] forward(PretrainedModel model, int batch, int seq) {
        try (NDManager call = model.manager().newSubManager()) {
            NDList inputs = new NDList(call.create(BenchInputs.ids(batch, seq)),
                    call.create(BenchInputs.filled(batch, seq, 1)), call.create(BenchInputs.filled(batch, seq, 0)));
            return model.block().forward(new ParameterStore(call, false), inputs, false).head().toFloatArray();
        }
    }
}
