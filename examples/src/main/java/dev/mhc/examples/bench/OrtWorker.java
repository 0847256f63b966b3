package dev.mhc.examples.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The ONNX Runtime side of {@code mhc bench}, in a JVM of its own (ONNX Runtime crashes beside
 * PyTorch's and ND4J's natives): {@code ONNX_FILE THREADS}, then one command per line on stdin,
 * answered with one line on stdout:
 * {@code time BATCH SEQ RUNS} gives the milliseconds of each run (inputs built and output read
 * back to Java, as the other side does); {@code peak BATCH SEQ} runs once and gives the process's
 * peak resident memory in MB.
 */
public final class OrtWorker {

    private OrtWorker() {}

    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Integer.parseInt(args[1]));
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(args[0], options);
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                System.out.println("ready");
                System.out.flush();
                for (String line; (line = in.readLine()) != null; ) {
                    String[] words = line.trim().split(" ");
                    int batch = Integer.parseInt(words[1]);
                    int seq = Integer.parseInt(words[2]);
                    StringJoiner reply = new StringJoiner(" ");
                    if (words[0].equals("time")) {
                        for (int run = 0; run < Integer.parseInt(words[3]); run++) {
                            long start = System.nanoTime();
                            forward(env, session, batch, seq);
                            reply.add(String.format(Locale.ROOT, "%.4f", (System.nanoTime() - start) / 1e6));
                        }
                    } else {
                        forward(env, session, batch, seq);
                        reply.add(String.format(Locale.ROOT, "%.1f", BenchInputs.peakRssMb()));
                    }
                    System.out.println(reply);
                    System.out.flush();
                }
            }
        }
    }

    private static float[] forward(OrtEnvironment env, OrtSession session, int batch, int seq) throws Exception {
        try (OnnxTensor ids = OnnxTensor.createTensor(env, BenchInputs.ids(batch, seq));
                OnnxTensor mask = OnnxTensor.createTensor(env, BenchInputs.filled(batch, seq, 1));
                OnnxTensor types = OnnxTensor.createTensor(env, BenchInputs.filled(batch, seq, 0));
                OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask,
                        "token_type_ids", types))) {
            java.nio.FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }
}
