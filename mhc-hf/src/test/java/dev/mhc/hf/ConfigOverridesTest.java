package dev.mhc.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.hf.config.ConfigException;
import dev.mhc.hf.config.ConfigOverrides;
import dev.mhc.hf.config.HfConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class ConfigOverridesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private static ObjectNode tree(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static ObjectNode base() throws Exception {
        return tree(
                "{"
                        + HfConfigsTest.BASE
                        + ", \"rope_scaling\": {\"factor\": 2.0, \"type\":"
                        + " \"linear\"}, \"vocab_size\": 100}");
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void flatOverridesChangeTheBoundConfig() throws Exception {
        ToyConfig config =
                ConfigOverrides.of(Map.of("model.num_hidden_layers", 6, "model.hidden_act", "relu"))
                        .bind(base(), ToyConfig.class, "config.json");
        assertEquals(6, config.numHiddenLayers());
        assertEquals("relu", config.hiddenAct());
        assertEquals(8, config.hiddenSize());
        assertEquals(Map.of("model_type", "toy", "vocab_size", 100), config.extra());
    }

    @Test
    void nestedOverridesAreFlattenedToTheSameKeys() {
        ConfigOverrides flat = ConfigOverrides.of(Map.of("model.num_hidden_layers", 2));
        ConfigOverrides nested =
                ConfigOverrides.of(Map.of("model", Map.of("num_hidden_layers", 2)));
        assertEquals(flat.asMap(), nested.asMap());
        assertEquals(Map.of("model.num_hidden_layers", 2), nested.asMap());
    }

    @Test
    void deeperKeysReachIntoNestedConfigObjectsAndKeepTheirOtherKeys() throws Exception {
        ConfigOverrides deep =
                ConfigOverrides.of(Map.of("model", Map.of("rope_scaling", Map.of("factor", 4.0))));
        assertEquals(Map.of("model.rope_scaling.factor", 4.0), deep.asMap());
        ToyConfig config = deep.bind(base(), ToyConfig.class, "config.json");
        assertEquals(new ToyConfig.RopeScaling(4.0, "linear"), config.ropeScaling());

        // Absent in config.json: the nested object is created.
        ToyConfig created =
                ConfigOverrides.of(Map.of("model.rope_scaling.factor", 3))
                        .bind(tree("{" + HfConfigsTest.BASE + "}"), ToyConfig.class, "config.json");
        assertEquals(new ToyConfig.RopeScaling(3.0, null), created.ropeScaling());
    }

    @Test
    void keysUnderAnOpenMapFieldAreFree() throws Exception {
        ToyConfig config =
                ConfigOverrides.of(
                                Map.of(
                                        "model.quantization.bits",
                                        8,
                                        "model.quantization.group",
                                        "x"))
                        .bind(base(), ToyConfig.class, "config.json");
        assertEquals(Map.of("bits", 8, "group", "x"), config.quantization());
    }

    @Test
    void listsReplaceTheWholeValue() throws Exception {
        ToyConfig config =
                ConfigOverrides.of(Map.of("model.labels", List.of("x", "y")))
                        .bind(base(), ToyConfig.class, "config.json");
        assertEquals(List.of("x", "y"), config.labels());
    }

    @Test
    void keysWithoutTheModelPrefixAreAllListed() {
        ConfigException one =
                assertThrows(
                        ConfigException.class, () -> ConfigOverrides.of(Map.of("n_layers", 8)));
        assertTrue(
                one.getMessage()
                        .startsWith(
                                "Invalid override keys detected: [n_layers]; every key"
                                        + " must start with \"model.\""),
                one.getMessage());

        ConfigException all =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(
                                        ordered(
                                                "n_layers", 8,
                                                "model.dim", 1,
                                                "training", Map.of("steps", 5),
                                                "model", 3,
                                                "model..x", 1)));
        assertTrue(
                all.getMessage()
                        .startsWith(
                                "Invalid override keys detected: [n_layers,"
                                        + " training.steps, model, model..x];"),
                all.getMessage());
    }

    @Test
    void aKeyGivenFlatAndNestedIsRejected() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(
                                        ordered("model.dim", 1, "model", Map.of("dim", 2))));
        assertEquals(
                "override keys given twice (flat and nested): [model.dim]; keep one of each",
                e.getMessage());
    }

    @Test
    void anUnknownFieldIsNamedWithTheNearestValidOnes() throws Exception {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(Map.of("model.n_layers", 8))
                                        .applyTo(base(), ToyConfig.class));
        assertEquals(
                "model_overrides do not fit ToyConfig:\n"
                    + "  \"model.n_layers\": ToyConfig has no field \"n_layers\"; nearest:"
                    + " [num_hidden_layers, layer_norm_eps, num_attention_heads] (keys are spelled"
                    + " as in config.json, snake_case)",
                e.getMessage());

        ConfigException typo =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(Map.of("model.hiden_size", 8))
                                        .applyTo(base(), ToyConfig.class));
        assertTrue(typo.getMessage().contains("nearest: [hidden_size,"), typo.getMessage());

        ConfigException nested =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(Map.of("model.rope_scaling.facter", 8))
                                        .applyTo(base(), ToyConfig.class));
        assertTrue(
                nested.getMessage()
                        .contains(
                                "\"model.rope_scaling.facter\": \"rope_scaling\" has no"
                                        + " field \"facter\"; nearest: [factor, type]"),
                nested.getMessage());
    }

    @Test
    void theExtraMapAndKeysOnlyInExtraAreNotFields() throws Exception {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(ordered("model.extra", 1, "model.vocab_size", 5))
                                        .applyTo(base(), ToyConfig.class));
        assertTrue(e.getMessage().contains("ToyConfig has no field \"extra\""), e.getMessage());
        assertTrue(
                e.getMessage().contains("ToyConfig has no field \"vocab_size\""), e.getMessage());
    }

    @Test
    void aSubKeyOfAScalarFieldIsNamed() throws Exception {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(Map.of("model.hidden_size.x", 1))
                                        .applyTo(base(), ToyConfig.class));
        assertTrue(
                e.getMessage()
                        .contains(
                                "\"model.hidden_size.x\": \"hidden_size\" is int, which has"
                                        + " no field \"x\"; override model.hidden_size itself"),
                e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeNamesTheKeyTheValueAndTheExpectedType() throws Exception {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(Map.of("model.hidden_size", "big"))
                                        .applyTo(base(), ToyConfig.class));
        assertEquals(
                "model_overrides do not fit ToyConfig:\n"
                    + "  \"model.hidden_size\" = \"big\" (a string) but the field is int; give a"
                    + " value of that type",
                e.getMessage());

        Map<String, Object> withNull = new HashMap<>();
        withNull.put("model.num_hidden_layers", null);
        ConfigException nulls =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigOverrides.of(withNull).applyTo(base(), ToyConfig.class));
        assertTrue(
                nulls.getMessage()
                        .contains(
                                "\"model.num_hidden_layers\" = null (null) but the"
                                        + " field is int"),
                nulls.getMessage());

        ConfigException nested =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(
                                                Map.of(
                                                        "model.rope_scaling.factor",
                                                        "x",
                                                        "model.labels",
                                                        "a"))
                                        .applyTo(base(), ToyConfig.class));
        assertTrue(
                nested.getMessage()
                        .contains(
                                "\"model.rope_scaling.factor\" = \"x\" (a string)"
                                        + " but the field is double"),
                nested.getMessage());
        assertTrue(
                nested.getMessage()
                        .contains(
                                "\"model.labels\" = \"a\" (a string) but the field"
                                        + " is List<String>"),
                nested.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(
                                                ordered(
                                                        "model.n_layers",
                                                        1,
                                                        "model.hidden_size",
                                                        2.5))
                                        .applyTo(base(), ToyConfig.class));
        String[] lines = e.getMessage().split("\n");
        assertEquals(3, lines.length, e.getMessage());
        assertTrue(lines[1].contains("\"model.n_layers\""));
        assertTrue(lines[2].contains("\"model.hidden_size\" = 2.5 (a decimal number)"));
    }

    @Test
    void overridesAreAppliedBeforeTheRecordValidatesItself() throws Exception {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigOverrides.of(Map.of("model.num_attention_heads", 3))
                                        .bind(base(), ToyConfig.class, "dir/config.json"));
        assertEquals(
                "dir/config.json with model_overrides [model.num_attention_heads]: invalid"
                    + " ToyConfig: hidden_size (8) must be a positive multiple of"
                    + " num_attention_heads (3)",
                e.getMessage());

        // An override can also repair a config.json the record would reject.
        ObjectNode broken = base().put("num_attention_heads", 3);
        ToyConfig fixed =
                ConfigOverrides.of(Map.of("model.num_attention_heads", 4))
                        .bind(broken, ToyConfig.class, "config.json");
        assertEquals(4, fixed.numAttentionHeads());
    }

    @Test
    void theInputTreeIsLeftUnchanged() throws Exception {
        ObjectNode original = base();
        JsonNode before = original.deepCopy();
        ObjectNode applied =
                ConfigOverrides.of(Map.of("model.hidden_size", 16, "model.rope_scaling.factor", 8))
                        .applyTo(original, ToyConfig.class);
        assertEquals(before, original);
        assertEquals(16, applied.get("hidden_size").asInt());
        assertEquals("linear", applied.at("/rope_scaling/type").asText());
    }

    @Test
    void noOverridesBindTheTreeAsIs() throws Exception {
        assertSame(ConfigOverrides.none(), ConfigOverrides.of(Map.of()));
        assertTrue(ConfigOverrides.none().isEmpty());
        assertEquals(
                HfConfigs.bind(base(), ToyConfig.class, "x"),
                ConfigOverrides.none().bind(base(), ToyConfig.class, "x"));
    }

    @Test
    void readsOverridesFromYaml() throws Exception {
        Path yaml =
                Files.writeString(
                        dir.resolve("overrides.yaml"),
                        "model_overrides:\n  model:\n    num_hidden_layers: 3\n"
                                + "    rope_scaling:\n      factor: 1.5\n");
        ConfigOverrides overrides = ConfigOverrides.fromFile(yaml);
        assertEquals(
                Map.of("model.num_hidden_layers", 3, "model.rope_scaling.factor", 1.5),
                overrides.asMap());
        assertEquals(3, overrides.bind(base(), ToyConfig.class, "c").numHiddenLayers());

        Path flat = Files.writeString(dir.resolve("o.yml"), "model.hidden_act: silu\n");
        assertEquals(Map.of("model.hidden_act", "silu"), ConfigOverrides.fromFile(flat).asMap());

        Path bad = Files.writeString(dir.resolve("bad.yml"), "n_layers: 8\n");
        assertTrue(
                assertThrows(ConfigException.class, () -> ConfigOverrides.fromFile(bad))
                        .getMessage()
                        .startsWith("Invalid override keys detected: [n_layers]"));
    }

    @Test
    void readsOverridesFromJson() throws Exception {
        Path json = Files.writeString(dir.resolve("o.json"), "{\"model.num_hidden_layers\": 5}");
        assertEquals(Map.of("model.num_hidden_layers", 5), ConfigOverrides.fromFile(json).asMap());
    }

    @Test
    void overrideFileErrorsAreNamed() throws Exception {
        Path txt = Files.writeString(dir.resolve("o.txt"), "");
        assertEquals(
                "cannot tell the format of " + txt + "; expected a .yaml, .yml or .json file",
                assertThrows(ConfigException.class, () -> ConfigOverrides.fromFile(txt))
                        .getMessage());
        Path missing = dir.resolve("missing.yaml");
        assertTrue(
                assertThrows(ConfigException.class, () -> ConfigOverrides.fromFile(missing))
                        .getMessage()
                        .contains("does not exist"));
        Path list = Files.writeString(dir.resolve("l.yaml"), "- 1\n- 2\n");
        assertTrue(
                assertThrows(ConfigException.class, () -> ConfigOverrides.fromFile(list))
                        .getMessage()
                        .contains("holds an array; expected a map of overrides"));
        Path broken = Files.writeString(dir.resolve("b.json"), "{\"model.x\": ");
        assertTrue(
                assertThrows(ConfigException.class, () -> ConfigOverrides.fromFile(broken))
                        .getMessage()
                        .startsWith("cannot parse " + broken));
    }
}
