package dev.mhc.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.lora.Lora;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.examples.runs.SentenceClassifier;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mhc classify}: label texts with a classifier {@code mhc finetune} wrote. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify texts with the encoder plus what mhc finetune wrote (head, adapters/, mhc/).")
final class ClassifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL") String model;
    @Option(names = "--classifier", required = true, description = "the --out directory of mhc finetune") Path dir;
    @Option(names = "--text", required = true, description = "a text; repeat for more") List<String> texts;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> labels = Arrays.asList(new ObjectMapper().readValue(dir.resolve("labels.json").toFile(), String[].class));
        try (PretrainedModel encoder = Models.open(model);
                TextTokenizer tokenizer = Models.tokenizer(model, 512);
                NDManager manager = NDManager.newBaseManager()) {
            SentenceClassifier classifier = SentenceClassifier.frozen(encoder, labels.size());
            if (Files.isDirectory(dir.resolve("adapters"))) {
                Lora.load(classifier.model(), dir.resolve("adapters"));
            }
            if (Files.isDirectory(dir.resolve("mhc"))) {
                Mhc.load(classifier.model(), dir.resolve("mhc"));
            }
            try (SafetensorsFile head = SafetensorsFile.open(dir.resolve("head.safetensors"))) {
                for (String key : head.names()) {
                    ModuleTree.parameters(classifier.model()).get(key).getArray().set(head.readFloats(key));
                }
            }
            NDArray probabilities = encoderOutput(classifier, tokenizer.encode(texts).toNDList(manager)).softmax(-1);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                float[] p = probabilities.get(i).toFloatArray();
                int best = 0;
                for (int k = 1; k < p.length; k++) {
                    best = p[k] > p[best] ? k : best;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("text", texts.get(i));
                row.put("label", labels.get(best));
                row.put("probability", p[best]);
                rows.add(row);
                if (!json) {
                    System.out.printf(Locale.ROOT, "%s -> %s (%.3f)%n", texts.get(i), labels.get(best), p[best]);
                }
            }
            if (json) {
                System.out.println(Json.of(rows));
            }
        }
        return 0;
    }

    private static NDArray encoderOutput(SentenceClassifier classifier, NDList inputs) {
        return classifier.model().forward(new ai.djl.training.ParameterStore(inputs.head().getManager(), false), inputs,
                false).head();
    }
}
