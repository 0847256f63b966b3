package dev.mhc.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.hf.config.ConfigException;
import dev.mhc.hf.config.HfConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reading config.json into config records: what is kept, and what each mistake says. */
class HfConfigsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String BASE =
            "\"model_type\": \"toy\", \"hidden_size\": 8, \"num_hidden_layers\": 2,"
                    + " \"num_attention_heads\": 2, \"hidden_act\": \"gelu\"";

    @TempDir Path dir;

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve("config.json"), json);
    }

    private ConfigException readFails(String json) throws Exception {
        write(json);
        return assertThrows(ConfigException.class, () -> HfConfigs.read(dir, ToyConfig.class));
    }

    @Test
    void bindsSnakeCaseKeysAndKeepsUnknownOnesInExtra() throws Exception {
        write(
                "{"
                        + BASE
                        + ", \"vocab_size\": 30522, \"id2label\": {\"0\": \"NEG\"},"
                        + " \"rope_scaling\": {\"factor\": 2.0, \"type\": \"linear\"},"
                        + " \"labels\": [\"a\", \"b\"], \"quantization\": {\"bits\": 4}}");
        ToyConfig config = HfConfigs.read(dir, ToyConfig.class);

        assertEquals(8, config.hiddenSize());
        assertEquals(2, config.numHiddenLayers());
        assertEquals("gelu", config.hiddenAct());
        assertEquals(1e-12, config.layerNormEps()); // absent boxed field: the record's default
        assertEquals(new ToyConfig.RopeScaling(2.0, "linear"), config.ropeScaling());
        assertEquals(List.of("a", "b"), config.labels());
        assertEquals(Map.of("bits", 4), config.quantization());
        assertEquals(
                Map.of("model_type", "toy", "vocab_size", 30522, "id2label", Map.of("0", "NEG")),
                config.extra());
    }

    @Test
    void aRecordWithoutExtraDropsUnknownKeys() throws Exception {
        write("{\"hidden_size\": 8, \"vocab_size\": 30522}");
        assertEquals(new PlainConfig(8), HfConfigs.read(dir, PlainConfig.class));
    }

    @Test
    void aWrongTypeNamesTheKeyTheExpectedTypeAndTheFile() throws Exception {
        ConfigException e =
                readFails(
                        "{" + BASE.replace("\"hidden_size\": 8", "\"hidden_size\": \"big\"") + "}");
        assertEquals(
                dir.resolve("config.json")
                        + ": \"hidden_size\" is \"big\" (a string) but ToyConfig"
                        + " expects int; fix the value",
                e.getMessage());
    }

    @Test
    void numbersAreNotSilentlyCoerced() throws Exception {
        ConfigException decimal =
                readFails(
                        "{"
                                + BASE.replace(
                                        "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 2.5")
                                + "}");
        assertTrue(
                decimal.getMessage()
                        .contains(
                                "\"num_hidden_layers\" is 2.5 (a decimal number) but"
                                        + " ToyConfig expects int"),
                decimal.getMessage());
        ConfigException quoted =
                readFails(
                        "{"
                                + BASE.replace(
                                        "\"num_hidden_layers\": 2", "\"num_hidden_layers\": \"2\"")
                                + "}");
        assertTrue(
                quoted.getMessage().contains("\"num_hidden_layers\" is \"2\" (a string)"),
                quoted.getMessage());
        ConfigException eps = readFails("{" + BASE + ", \"layer_norm_eps\": \"1e-5\"}");
        assertTrue(eps.getMessage().contains("expects Double"), eps.getMessage());
    }

    @Test
    void aMissingOrNullPrimitiveIsNamed() throws Exception {
        ConfigException missing = readFails("{\"hidden_size\": 8, \"num_attention_heads\": 2}");
        assertTrue(
                missing.getMessage()
                        .endsWith(
                                "\"num_hidden_layers\" is missing but ToyConfig requires"
                                        + " it (int); add it"),
                missing.getMessage());
        ConfigException isNull =
                readFails("{" + BASE.replace("\"hidden_size\": 8", "\"hidden_size\": null") + "}");
        assertTrue(
                isNull.getMessage()
                        .contains("\"hidden_size\" is null (null) but ToyConfig expects int"),
                isNull.getMessage());
    }

    @Test
    void aWrongTypeInsideANestedObjectOrListNamesItsPath() throws Exception {
        ConfigException nested = readFails("{" + BASE + ", \"rope_scaling\": {\"factor\": \"x\"}}");
        assertTrue(
                nested.getMessage()
                        .contains(
                                "\"rope_scaling.factor\" is \"x\" (a string) but ToyConfig"
                                        + " expects double"),
                nested.getMessage());
        ConfigException list = readFails("{" + BASE + ", \"labels\": [\"a\", 3]}");
        assertTrue(
                list.getMessage().contains("\"labels[1]\" is 3 (an integer)"), list.getMessage());
        assertTrue(list.getMessage().contains("expects String"), list.getMessage());
        ConfigException act = readFails("{" + BASE.replace("\"gelu\"", "3") + "}");
        assertTrue(
                act.getMessage()
                        .contains(
                                "\"hidden_act\" is 3 (an integer) but ToyConfig expects"
                                        + " String"),
                act.getMessage());
        ConfigException shape = readFails("{" + BASE + ", \"labels\": {\"a\": 1}}");
        assertTrue(
                shape.getMessage()
                        .contains(
                                "\"labels\" is {\"a\":1} (an object) but ToyConfig"
                                        + " expects List<String>"),
                shape.getMessage());
    }

    @Test
    void theRecordsCompactConstructorRejectsImpossibleValues() throws Exception {
        ConfigException e =
                readFails(
                        "{"
                                + BASE.replace(
                                        "\"num_attention_heads\": 2", "\"num_attention_heads\": 3")
                                + "}");
        assertEquals(
                dir.resolve("config.json")
                        + ": invalid ToyConfig: hidden_size (8) must be a positive"
                        + " multiple of num_attention_heads (3)",
                e.getMessage());
    }

    @Test
    void aMissingConfigJsonNamesTheDirectoryAndWhatItHolds() throws Exception {
        Files.writeString(dir.resolve("model.safetensors"), "");
        Files.createDirectory(dir.resolve("tokenizer"));
        ConfigException e =
                assertThrows(ConfigException.class, () -> HfConfigs.read(dir, ToyConfig.class));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "no config.json in "
                                        + dir
                                        + " (it holds [model.safetensors, tokenizer/]); expected a"
                                        + " Hugging Face model directory"),
                e.getMessage());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(
                assertThrows(ConfigException.class, () -> HfConfigs.readTree(empty))
                        .getMessage()
                        .contains("(it holds nothing)"));
    }

    @Test
    void aMissingDirectoryOrAFileIsNamed() throws Exception {
        Path nowhere = dir.resolve("nowhere");
        ConfigException missing =
                assertThrows(ConfigException.class, () -> HfConfigs.readTree(nowhere));
        assertTrue(
                missing.getMessage()
                        .startsWith(
                                nowhere
                                        + " does not exist; expected a model"
                                        + " directory holding config.json"),
                missing.getMessage());
        Path file = write("{}");
        ConfigException notDir =
                assertThrows(ConfigException.class, () -> HfConfigs.readTree(file));
        assertTrue(notDir.getMessage().startsWith(file + " is a file;"), notDir.getMessage());
    }

    @Test
    void malformedJsonIsNamedWithItsPosition() throws Exception {
        write("{\"hidden_size\": 8,\n \"num_hidden_layers\": }");
        ConfigException e = assertThrows(ConfigException.class, () -> HfConfigs.readTree(dir));
        assertTrue(
                e.getMessage().startsWith(dir.resolve("config.json") + " is not valid JSON: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("(line 2, column"), e.getMessage());

        write("{\"hidden_size\": 8, \"hidden_size\": 9}");
        assertTrue(
                assertThrows(ConfigException.class, () -> HfConfigs.readTree(dir))
                        .getMessage()
                        .contains("Duplicate field 'hidden_size'"));

        write("[1, 2]");
        ConfigException array = assertThrows(ConfigException.class, () -> HfConfigs.readTree(dir));
        assertTrue(
                array.getMessage().contains("holds a JSON ARRAY; expected a JSON object"),
                array.getMessage());
    }

    @Test
    void pythonsNonFiniteNumbersAreRead() throws Exception {
        write("{" + BASE + ", \"layer_norm_eps\": Infinity}");
        assertEquals(Double.POSITIVE_INFINITY, HfConfigs.read(dir, ToyConfig.class).layerNormEps());
    }

    @Test
    void modelTypeIsRequiredAndNamed() throws Exception {
        write("{" + BASE + "}");
        assertEquals("toy", HfConfigs.modelType(HfConfigs.readTree(dir), "config.json"));
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                HfConfigs.modelType(
                                        JSON.createObjectNode(), "x/config.json"));
        assertEquals(
                "x/config.json: \"model_type\" is missing; expected a string naming the model"
                        + " family, e.g. \"bert\"",
                e.getMessage());
    }

    @Test
    void architecturesMustBeAListOfNames() throws Exception {
        write("{\"architectures\": \"BertModel\"}");
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> HfConfigs.architectures(HfConfigs.readTree(dir), "config.json"));
        assertTrue(e.getMessage().contains("expected a list of class names"), e.getMessage());
        write("{\"architectures\": null}");
        assertEquals(List.of(), HfConfigs.architectures(HfConfigs.readTree(dir), "config.json"));
    }

    @Test
    void theTreeIsUsableForBindingDirectly() throws Exception {
        write("{" + BASE + "}");
        ToyConfig config = HfConfigs.bind(HfConfigs.readTree(dir), ToyConfig.class, "test");
        assertNull(config.ropeScaling());
        assertEquals(Map.of("model_type", "toy"), config.extra());
    }
}
