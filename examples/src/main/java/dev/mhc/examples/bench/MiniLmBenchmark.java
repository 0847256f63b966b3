package dev.mhc.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedded all-MiniLM-L6-v2 against ONNX Runtime on the same ONNX file and token ids (in a
 * child JVM, rounds interleaved), with and without history mixing, and the peak resident memory
 * of one large forward in a fresh process on each side.
 */
public final class MiniLmBenchmark {

    private static final String ORT = "ONNX Runtime 1.29";

    private MiniLmBenchmark() {}

    public static void forward1x16(Consumer<Figure> figures) throws Exception {
        try (PretrainedModel model = AutoModel.miniLm(); ChildJvm ort = ort()) {
            int threads = threads();
            double[][] rounds = Rounds.interleave(5, 20, 200, ortSide(ort, 1, 16), runs -> ours(model, runs, 1, 16));
            figures.accept(Figure.of("minilm-forward-1x16", "ms", rounds[1], ORT, rounds[0], threads));
        }
    }

    /** Also the mixing overhead at the same shape, timed in the same rounds. */
    public static void forward32x128(Consumer<Figure> figures) throws Exception {
        try (PretrainedModel model = AutoModel.miniLm(); ChildJvm ort = ort()) {
            int threads = threads();
            double[][] rounds = Rounds.interleave(5, 3, 2, ortSide(ort, 32, 128), runs -> ours(model, runs, 32, 128),
                    runs -> {
                        Mhc.injectMhc(model.block(), "BertLayer", 4);
                        try {
                            return ours(model, runs, 32, 128);
                        } finally {
                            Mhc.remove(model.block());
                        }
                    });
            figures.accept(Figure.of("minilm-forward-32x128", "ms", rounds[1], ORT, rounds[0], threads));
            figures.accept(Figure.of("mhc-forward-overhead-minilm-32x128", "ms", rounds[2], "plain MiniLM",
                    rounds[1], threads));
        }
    }

    /** Peak resident memory of a fresh process after one 64 x 512 forward, ours against ONNX Runtime's. */
    public static void peakRss64x512(Consumer<Figure> figures) throws Exception {
        double ours;
        try (ChildJvm child = ChildJvm.start(MiniLmWorker.class, entry -> !entry.contains("onnxruntime"),
                forwardedProperties())) {
            ours = child.ask("peak 64 512")[0];
        }
        double baseline;
        try (ChildJvm ort = ort()) {
            baseline = ort.ask("peak 64 512")[0];
        }
        figures.accept(Figure.of("minilm-peak-rss-64x512", "MB", new double[] {ours}, ORT, new double[] {baseline},
                threads()));
    }

    private static double[] ours(PretrainedModel model, int runs, int batch, int seq) throws Exception {
        return Rounds.timed(runs, () -> MiniLmWorker.forward(model, batch, seq));
    }

    private static Rounds.Side ortSide(ChildJvm ort, int batch, int seq) {
        return runs -> ort.ask("time " + batch + " " + seq + " " + runs);
    }

    /** ONNX Runtime on the embedded model's ONNX file, with as many intra-op threads as PyTorch uses. */
    static ChildJvm ort() throws IOException {
        return ChildJvm.start(OrtWorker.class, entry -> entry.contains("onnxruntime"), List.of("-Xmx4g"),
                onnxFile().toString(), Integer.toString(threads()));
    }

    /** PyTorch's intra-op threads in this JVM (set with -Dai.djl.pytorch.num_threads). */
    static int threads() {
        Engine.getInstance(); // starts PyTorch, which sets its thread count
        return JniUtils.getNumThreads();
    }

    private static Path onnxFile;

    /** The embedded ONNX export, copied out of its jar once per run to a file deleted at exit. */
    private static synchronized Path onnxFile() throws IOException {
        if (onnxFile == null) {
            ClassLoader loader = MiniLmBenchmark.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream(AllMiniLmL6V2.ONNX_RESOURCE)) {
                if (in == null) {
                    throw new IOException("classpath resource " + AllMiniLmL6V2.ONNX_RESOURCE + " not found");
                }
                Path file = Files.createTempFile("mhc-bench-", "-" + AllMiniLmL6V2.ONNX_RESOURCE);
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                onnxFile = file;
            }
        }
        return onnxFile;
    }

    /** This JVM's offline, logging and thread settings, for a child that loads DJL. */
    static List<String> forwardedProperties() {
        List<String> options = new ArrayList<>();
        System.getProperties().forEach((key, value) -> {
            String k = key.toString();
            if (k.startsWith("ai.djl.") || k.startsWith("org.slf4j.") || k.startsWith("org.bytedeco.")) {
                options.add("-D" + k + "=" + value);
            }
        });
        return options;
    }
}
