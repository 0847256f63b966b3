package dev.mhc.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.bert.BertModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Loading a BERT-base-sized checkpoint (random weights, 418 MiB of f32 safetensors written once
 * to a temporary directory) to a ready model, against reading the file's bytes once; both from
 * the page cache after the warm-up round.
 */
public final class LoadingBenchmark {

    private LoadingBenchmark() {}

    public static void run(Consumer<Figure> figures) throws Exception {
        Path dir = Files.createTempDirectory("mhc-bench-bert-base");
        try {
            writeCheckpoint(dir);
            Path file = dir.resolve("model.safetensors");
            double[][] rounds = Rounds.interleave(5, 1, runs -> Rounds.timed(runs, () -> readOnce(file)),
                    runs -> Rounds.timed(runs, () -> {
                        try (PretrainedModel model = AutoModel.fromPretrained(dir)) {
                            model.block();
                        }
                    }));
            figures.accept(Figure.of("load-bert-base", "ms", rounds[1], "reading the bytes once", rounds[0],
                    MiniLmBenchmark.threads()));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void writeCheckpoint(Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            BertModel model = new BertModel(BertConfig.base());
            Weights.initialize(model, manager);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            ModuleTree.parameters(model).forEach((key, p) -> tensors.put(key, p.getArray()));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        }
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"]}");
    }

    /** Reads every byte of {@code file} into a small reused buffer. */
    private static long readOnce(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long total = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n; (n = channel.read(buffer)) >= 0; buffer.clear()) {
                total += n;
            }
        }
        return total;
    }
}
