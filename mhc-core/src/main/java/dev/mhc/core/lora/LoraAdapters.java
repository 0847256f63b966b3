package dev.mhc.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mhc.core.io.AtomicFiles;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adapters on disk as PEFT writes them, so either side can read the other's: {@code
 * adapter_config.json} and {@code adapter_model.safetensors} with keys {@code
 * base_model.model.<path>.lora_A.weight}.
 */
final class LoraAdapters {

    static final String CONFIG_FILE = "adapter_config.json";
    static final String WEIGHTS_FILE = "adapter_model.safetensors";
    static final String PREFIX = "base_model.model.";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    /** The fields of PEFT's LoraConfig that this library writes and reads. */
    record AdapterConfig(
            String peftType,
            int r,
            double loraAlpha,
            double loraDropout,
            Object targetModules,
            String bias,
            boolean fanInFanOut,
            boolean inferenceMode,
            String taskType,
            String baseModelNameOrPath) {

        LoraConfig toConfig(Path file) throws IOException {
            if (!"LORA".equals(peftType)) {
                throw new IOException(file + " holds a " + peftType + " adapter; only LORA is supported");
            }
            if (!"none".equals(bias == null ? "none" : bias)) {
                throw new IOException(file + ": bias \"" + bias + "\" adapters are not supported (only \"none\")");
            }
            try {
                if (targetModules instanceof String regex) {
                    return LoraConfig.ofRegex(r, loraAlpha, loraDropout, regex);
                }
                List<String> names = new ArrayList<>();
                for (Object name : (List<?>) targetModules) {
                    names.add(String.valueOf(name));
                }
                return LoraConfig.of(r, loraAlpha, loraDropout, names);
            } catch (RuntimeException e) {
                throw new IOException(file + " holds invalid LoRA settings: " + e.getMessage(), e);
            }
        }
    }

    private LoraAdapters() {}

    static void save(Block model, Path dir) throws IOException {
        List<LoraLinear> layers = Lora.layers(model);
        if (layers.isEmpty()) {
            throw new IllegalStateException("the model has no LoRA layers to save; inject them with Lora.inject first");
        }
        LoraConfig config = layers.get(0).config();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : Lora.parameters(model).entrySet()) {
            tensors.put(PREFIX + e.getKey(), e.getValue().getArray());
        }
        boolean fanInFanOut = layers.stream().anyMatch(l -> l.wrapped().weightTransposed());
        AdapterConfig record = new AdapterConfig("LORA", config.r(), config.loraAlpha(), config.loraDropout(),
                config.targetRegex() != null ? config.targetRegex() : config.targetModules(), "none",
                fanInFanOut, true, null, null);
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));
        AtomicFiles.write(dir.resolve(CONFIG_FILE), JSON.writeValueAsBytes(record));
    }

    static List<LoraLinear> load(Block model, Path dir) throws IOException {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new IOException("an adapter directory holds " + CONFIG_FILE + " and " + WEIGHTS_FILE + "; "
                    + dir + " lacks " + (Files.isRegularFile(configFile) ? WEIGHTS_FILE : CONFIG_FILE));
        }
        LoraConfig config;
        try {
            config = JSON.readValue(configFile.toFile(), AdapterConfig.class).toConfig(configFile);
        } catch (JacksonException e) {
            throw new IOException(configFile + " is not a valid adapter config: " + e.getOriginalMessage(), e);
        }
        if (!Lora.layers(model).isEmpty()) {
            throw new IllegalStateException("the model already has LoRA layers; load adapters onto a model without them");
        }
        try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
            List<LoraLinear> layers = Lora.inject(model, config);
            Map<String, Parameter> expected = Lora.parameters(model);
            Set<String> missing = new LinkedHashSet<>();
            for (String key : expected.keySet()) {
                if (!file.contains(PREFIX + key)) {
                    missing.add(PREFIX + key);
                }
            }
            Set<String> unexpected = new LinkedHashSet<>(file.names());
            expected.keySet().forEach(k -> unexpected.remove(PREFIX + k));
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                Lora.remove(model);
                throw new IOException(weightsFile + " does not fit this model: missing " + missing
                        + ", unexpected " + unexpected + ". Load adapters onto the base model they were trained on");
            }
            for (Map.Entry<String, Parameter> e : expected.entrySet()) {
                Parameter parameter = e.getValue();
                Shape shape = new Shape(file.info(PREFIX + e.getKey()).shape());
                if (!shape.equals(parameter.getArray().getShape())) {
                    Lora.remove(model);
                    throw new IOException(weightsFile + ": " + PREFIX + e.getKey() + " has shape " + shape
                            + ", the model's adapter needs " + parameter.getArray().getShape());
                }
                parameter.getArray().set(file.readFloats(PREFIX + e.getKey()));
            }
            return layers;
        }
    }
}
