package dev.mhc.examples.runs;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.AtomicFiles;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.lora.LoraConfig;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.train.History;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.onnx.AllMiniLmL6V2;
import dev.mhc.hf.task.TextClassificationData;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fine-tunes a BERT-family encoder for sequence classification: a linear head on the mean-pooled
 * embedding, optionally LoRA and mHC; writes {@code head.safetensors}, {@code labels.json}, and
 * the {@code adapters/} and {@code mhc/} directories that were trained.
 */
public final class SequenceClassifierTraining {

    private final int loraRank;
    private final List<String> loraTargets;
    private final String mhcTarget;
    private final int history;
    private final int epochs;
    private final int batchSize;
    private final double lr;
    private final double loraLr;
    private final double mhcLr;
    private final long seed;

    public SequenceClassifierTraining(int loraRank, List<String> loraTargets, String mhcTarget, int history, int epochs,
            int batchSize, double lr, double loraLr, double mhcLr, long seed) {
        this.loraRank = loraRank;
        this.loraTargets = loraTargets;
        this.mhcTarget = mhcTarget;
        this.history = history;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.lr = lr;
        this.loraLr = loraLr;
        this.mhcLr = mhcLr;
        this.seed = seed;
    }

    public History run(String modelName, Path data, String textField, String labelField, int maxLength, Path out,
            PrintStream log) throws IOException {
        try (PretrainedModel encoder = open(modelName); TextTokenizer tokenizer = tokenizer(modelName, maxLength)) {
            if (!(encoder.config() instanceof BertConfig)) {
                throw new IllegalArgumentException("finetune seq-cls takes a BERT-family encoder; " + modelName
                        + " is " + encoder.modelType());
            }
            TextClassificationData train = TextClassificationData.fromJsonl(data, textField, labelField, tokenizer, null);
            encoder.manager().getEngine().setRandomSeed((int) seed);
            SentenceClassifier classifier = SentenceClassifier.frozen(encoder, train.classes().size());
            if (loraRank > 0) {
                Lora.inject(classifier.model(), LoraConfig.of(loraRank, 2.0 * loraRank, 0.0, loraTargets));
                classifier.unfreezeHead();
            }
            if (mhcTarget != null) {
                Mhc.builder().target(mhcTarget).maxHistory(history).inject(classifier.model());
            }
            History result = classifier.train(train, epochs, batchSize, seed, lr, loraLr, mhcLr, 1, log);
            save(classifier.model(), train.classes(), out);
            log.printf(Locale.ROOT, "final training loss %.4f; wrote %s%n",
                    result.epochs().get(result.epochs().size() - 1).loss(), out.toAbsolutePath());
            return result;
        }
    }

    private void save(MeanPoolClassifier model, List<String> classes, Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, NDArray> head = new LinkedHashMap<>();
        ModuleTree.parameters(model).forEach((k, p) -> {
            if (k.startsWith("classifier.")) {
                head.put(k, p.getArray());
            }
        });
        SafetensorsWriter.write(out.resolve("head.safetensors"), head, Map.of("format", "mhc-java"));
        AtomicFiles.write(out.resolve("labels.json"), new ObjectMapper().writeValueAsBytes(classes));
        if (!Lora.layers(model).isEmpty()) {
            Lora.save(model, out.resolve("adapters"));
        }
        if (!Mhc.layers(model).isEmpty()) {
            Mhc.save(model, out.resolve("mhc"));
        }
    }

    private static PretrainedModel open(String model) throws IOException {
        return "minilm".equals(model) ? AutoModel.miniLm() : AutoModel.fromPretrained(Path.of(model));
    }

    private static TextTokenizer tokenizer(String model, int maxLength) throws IOException {
        if ("minilm".equals(model)) {
            return TextTokenizer.fromStream(SequenceClassifierTraining.class.getClassLoader()
                    .getResourceAsStream(AllMiniLmL6V2.TOKENIZER_RESOURCE), maxLength);
        }
        return TextTokenizer.fromPretrained(Path.of(model), maxLength);
    }
}
