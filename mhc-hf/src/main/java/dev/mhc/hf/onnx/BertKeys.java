package dev.mhc.hf.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state-dict keys of Hugging Face's {@code BertModel}, so an import accepts a name only if
 * the model can load it, and can tell which expected keys an export did not provide.
 */
final class BertKeys {
    private static final String LAYER_MODULE = "attention\\.self\\.(?:query|key|value)|attention\\.output\\.dense"
            + "|attention\\.output\\.LayerNorm|intermediate\\.dense|output\\.dense|output\\.LayerNorm";
    private static final Pattern KEY = Pattern.compile(
            "embeddings\\.(?:word_embeddings|position_embeddings|token_type_embeddings)\\.weight"
            + "|embeddings\\.LayerNorm\\.(?:weight|bias)"
            + "|embeddings\\.(?:position_ids|token_type_ids)"
            + "|encoder\\.layer\\.(\\d+)\\.(?:" + LAYER_MODULE + ")\\.(?:weight|bias)"
            + "|pooler\\.dense\\.(?:weight|bias)");
    private static final Pattern LINEAR_WEIGHT = Pattern.compile(".*\\.(?:query|key|value|dense)\\.weight");
    private static final List<String> LAYER_SUFFIXES = List.of(
            "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm");

    private BertKeys() {}

    /** Whether {@code key} is a parameter or buffer name of HF's BertModel. */
    static boolean isKey(String key) {
        return KEY.matcher(key).matches();
    }

    /** Whether {@code key} is the weight of a Linear, whose layout differs between ONNX and torch. */
    static boolean isLinearWeight(String key) {
        return LINEAR_WEIGHT.matcher(key).matches();
    }

    /** Buffers hold integer positions, not weights. */
    static boolean isIntegerBuffer(String key) {
        return key.equals("embeddings.position_ids") || key.equals("embeddings.token_type_ids");
    }

    /** The encoder layer index of a key, or -1 for keys outside the encoder. */
    static int layerIndex(String key) {
        Matcher m = KEY.matcher(key);
        return m.matches() && m.group(1) != null ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The keys every BertModel with {@code layers} layers has; the pooler and buffers are optional. */
    static List<String> required(int layers) {
        List<String> keys = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int i = 0; i < layers; i++) {
            for (String module : LAYER_SUFFIXES) {
                keys.add("encoder.layer." + i + "." + module + ".weight");
                keys.add("encoder.layer." + i + "." + module + ".bias");
            }
        }
        return keys;
    }

    /** Drops the {@code bert.} prefix a task-head export (e.g. BertForSequenceClassification) adds. */
    static String stripPrefix(String name) {
        return name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    }

    /**
     * The module path the torch exporter encodes in a node name: {@code /encoder/layer.0/attention/self/query/MatMul}
     * becomes {@code encoder.layer.0.attention.self.query}; empty if the name carries no path.
     */
    static String modulePath(String nodeName) {
        int last = nodeName.lastIndexOf('/');
        if (!nodeName.startsWith("/") || last <= 0) {
            return "";
        }
        return stripPrefix(nodeName.substring(1, last).replace('/', '.'));
    }
}
