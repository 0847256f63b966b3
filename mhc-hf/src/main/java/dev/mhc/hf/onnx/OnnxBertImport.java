package dev.mhc.hf.onnx;

import dev.mhc.core.io.TensorSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights of a BERT-family ONNX export under Hugging Face {@code BertModel} state-dict names,
 * so a model exported for ONNX Runtime can be loaded into our DJL {@code BertModel}.
 *
 * <p>The torch exporter keeps parameter names for tensors it uses as they are (embeddings,
 * biases, LayerNorm) but folds each Linear weight's transpose into an anonymous
 * {@code onnx::MatMul_N} initializer laid out [in, out]. Those are named after the node consuming
 * them ({@code /encoder/layer.0/attention/self/query/MatMul}) and transposed back to torch's
 * [out, in]. Every name is checked against BertModel's keys; floating-point tensors that match
 * none are reported by {@link #unmapped()} and logged, never silently dropped.
 */
public final class OnnxBertImport {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxBertImport.class);
    private static final int SAMPLE = 8;

    private final String source;
    private final InMemoryTensorSource tensors;
    private final List<Unmapped> unmapped;
    private final List<String> missing;
    private final OnnxBertConfig config;

    /**
     * An export tensor that no BertModel key was found for.
     *
     * @param name the initializer (or Constant output) name
     * @param type its data type and dimensions, e.g. {@code FLOAT[384, 384]}
     * @param consumers the nodes using it, as {@code op 'name'}
     * @param reason why it was not mapped
     */
    public record Unmapped(String name, String type, List<String> consumers, String reason) {
        public Unmapped {
            consumers = List.copyOf(consumers);
        }

        @Override
        public String toString() {
            return "'" + name + "' " + type + " used by " + (consumers.isEmpty() ? "no node" : consumers) + ": " + reason;
        }
    }

    private record Assignment(String key, String valueName, OnnxTensor tensor, boolean transpose) {}

    private record Role(String param, boolean transpose) {}

    private OnnxBertImport(String source, InMemoryTensorSource tensors, List<Unmapped> unmapped, List<String> missing,
            OnnxBertConfig config) {
        this.source = source;
        this.tensors = tensors;
        this.unmapped = List.copyOf(unmapped);
        this.missing = List.copyOf(missing);
        this.config = config;
    }

    /** Reads an ONNX file and imports its weights. */
    public static OnnxBertImport fromFile(Path onnxFile) throws IOException {
        return from(OnnxModel.read(onnxFile));
    }

    /** Reads an ONNX classpath resource and imports its weights. */
    public static OnnxBertImport fromResource(String resource) throws IOException {
        return from(OnnxModel.readResource(resource));
    }

    /**
     * Imports the weights of a parsed model.
     *
     * @throws OnnxFormatException if the graph has no BERT encoder layers, or a tensor it needs
     *     cannot be read (external data, unsupported type)
     */
    public static OnnxBertImport from(OnnxModel model) throws OnnxFormatException {
        Map<String, Assignment> byKey = new LinkedHashMap<>();
        Set<OnnxTensor> used = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, OnnxTensor> candidates = candidates(model);
        List<Unmapped> unmapped = new ArrayList<>();

        // named tensors keep their name: they are what the exporter saw as parameters
        candidates.forEach((value, t) -> {
            String key = BertKeys.stripPrefix(value);
            if (BertKeys.isKey(key) && !byKey.containsKey(key) && rankFits(key, t)) {
                byKey.put(key, new Assignment(key, value, t, BertKeys.isLinearWeight(key) && transposedByUse(model, value)));
                used.add(t);
            }
        });
        // anonymous tensors (and shared ones) take the name of the module whose node uses them
        candidates.forEach((value, t) -> {
            for (OnnxNode node : model.consumers(value)) {
                Role role = role(node, node.inputs().indexOf(value));
                String module = BertKeys.modulePath(node.name());
                if (role == null || module.isEmpty() || t.numel() <= 1) {
                    continue;
                }
                String key = module + "." + role.param();
                if (BertKeys.isKey(key) && !byKey.containsKey(key) && rankFits(key, t)) {
                    byKey.put(key, new Assignment(key, value, t, role.transpose()));
                    used.add(t);
                }
            }
        });
        candidates.forEach((value, t) -> {
            if (!used.contains(t) && isFloating(t) && t.numel() > 1) {
                unmapped.add(new Unmapped(value, typeOf(t), consumerNames(model, value), reasonFor(model, byKey, value, t)));
            }
        });

        int layers = byKey.keySet().stream().mapToInt(BertKeys::layerIndex).max().orElse(-1) + 1;
        if (layers == 0) {
            throw notBert(model);
        }
        InMemoryTensorSource tensors = convert(model, byKey, layers);
        List<String> missing = BertKeys.required(layers).stream().filter(k -> !byKey.containsKey(k)).toList();
        OnnxBertConfig config = OnnxBertConfig.infer(model, tensors, layers);
        OnnxBertImport result = new OnnxBertImport(model.source(), tensors, unmapped, missing, config);
        result.logProblems();
        return result;
    }

    /** The imported tensors under HF BertModel names: F32, and I64 for {@code embeddings.position_ids}. */
    public TensorSource tensors() {
        return tensors;
    }

    /** Floating-point tensors of the export (more than one element) that no BertModel key was found for. */
    public List<Unmapped> unmapped() {
        return unmapped;
    }

    /** BertModel keys the export should have had for its layer count but did not provide. */
    public List<String> missing() {
        return missing;
    }

    /** What the graph tells about the model's configuration. */
    public OnnxBertConfig config() {
        return config;
    }

    /** The ONNX file or resource the weights came from. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "OnnxBertImport[" + source + ": " + tensors.names().size() + " tensors, " + config.numHiddenLayers()
                + " layers, " + unmapped.size() + " unmapped, " + missing.size() + " missing]";
    }

    private void logProblems() {
        if (!unmapped.isEmpty()) {
            LOG.warn("{}: {} tensor(s) of the ONNX export were not mapped to BertModel names and are not imported: {}",
                    source, unmapped.size(), unmapped);
        }
        if (!missing.isEmpty()) {
            LOG.warn("{}: the ONNX export provides no tensor for {} BertModel key(s), which keep their initial values"
                    + " unless loaded from elsewhere: {}", source, missing.size(), missing);
        }
    }

    /** Initializers, plus Constant-node tensors that could be weights (floating, more than one element). */
    private static Map<String, OnnxTensor> candidates(OnnxModel model) {
        Map<String, OnnxTensor> out = new LinkedHashMap<>(model.initializers());
        for (OnnxNode n : model.nodes()) {
            if (n.opType().equals("Constant") && n.domain().isEmpty() && n.outputs().size() == 1) {
                OnnxTensor t = n.tensorAttributes().get("value");
                if (t != null && isFloating(t) && t.numel() > 1) {
                    out.putIfAbsent(n.outputs().get(0), t);
                }
            }
        }
        return out;
    }

    /** What a tensor is to the node using it at {@code index}; null if it is not a parameter there. */
    private static Role role(OnnxNode node, int index) {
        if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
            return null;
        }
        return switch (node.opType()) {
            // y = x @ W: W is [in, out], the transpose of torch's Linear weight
            case "MatMul" -> index == 1 ? new Role("weight", true) : null;
            // y = x @ op(B) + C: B is torch's [out, in] exactly when transB = 1
            case "Gemm" -> index == 1 ? new Role("weight", node.intAttributes().getOrDefault("transB", 0L) == 0)
                    : index == 2 ? new Role("bias", false) : null;
            // a Linear exported without folding its weight transpose
            case "Transpose" -> index == 0 ? new Role("weight", false) : null;
            case "Gather" -> index == 0 ? new Role("weight", false) : null;
            case "Add" -> new Role("bias", false);
            case "Mul" -> new Role("weight", false);
            case "LayerNormalization" -> index == 1 ? new Role("weight", false)
                    : index == 2 ? new Role("bias", false) : null;
            default -> null;
        };
    }

    private static boolean transposedByUse(OnnxModel model, String value) {
        for (OnnxNode node : model.consumers(value)) {
            Role role = role(node, node.inputs().indexOf(value));
            if (role != null && role.transpose()) {
                return true;
            }
        }
        return false;
    }

    private static boolean rankFits(String key, OnnxTensor t) {
        int rank = t.dims().length;
        if (BertKeys.isIntegerBuffer(key)) {
            return rank == 1 || rank == 2;
        }
        boolean matrix = key.endsWith(".weight") && !key.contains("LayerNorm");
        return rank == (matrix ? 2 : 1);
    }

    private static InMemoryTensorSource convert(OnnxModel model, Map<String, Assignment> byKey, int layers)
            throws OnnxFormatException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "onnx");
        metadata.put("source", model.source());
        metadata.put("producer", (model.producerName() + " " + model.producerVersion()).trim());
        metadata.put("opset", Long.toString(model.opsetVersion()));
        InMemoryTensorSource.Builder b = new InMemoryTensorSource.Builder(model.source() + " (imported as BertModel)",
                metadata);
        List<String> order = new ArrayList<>(List.of("embeddings.position_ids", "embeddings.token_type_ids"));
        order.addAll(BertKeys.required(layers));
        order.addAll(List.of("pooler.dense.weight", "pooler.dense.bias"));
        for (String key : order) {
            Assignment a = byKey.get(key);
            if (a == null) {
                continue;
            }
            long[] dims = a.tensor().dims();
            if (BertKeys.isIntegerBuffer(key)) {
                b.putLongs(key, dims, a.tensor().toLongs());
            } else if (a.transpose()) {
                b.putFloats(key, new long[] {dims[1], dims[0]}, transpose(a.tensor().toFloats(), (int) dims[0],
                        (int) dims[1]));
            } else {
                b.putFloats(key, dims, a.tensor().toFloats());
            }
        }
        return b.build();
    }

    /** [rows, cols] row-major to [cols, rows] row-major. */
    static float[] transpose(float[] w, int rows, int cols) {
        float[] out = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = w[r * cols + c];
            }
        }
        return out;
    }

    private static String reasonFor(OnnxModel model, Map<String, Assignment> byKey, String value, OnnxTensor t) {
        String key = BertKeys.stripPrefix(value);
        if (BertKeys.isKey(key) && byKey.containsKey(key)) {
            return "named like BertModel's '" + key + "', which tensor '" + byKey.get(key).valueName()
                    + "' already provides";
        }
        if (BertKeys.isKey(key)) {
            return "named like BertModel's '" + key + "' but has rank " + t.dims().length
                    + ", which that key cannot hold";
        }
        if (model.consumers(value).isEmpty()) {
            return "no node uses it and its name is not a BertModel key";
        }
        return "neither its name nor the names of the nodes using it correspond to a BertModel key"
                + " (a task head such as a classifier, or an exporter that does not keep module paths in node names)";
    }

    private static OnnxFormatException notBert(OnnxModel model) {
        List<String> names = new ArrayList<>();
        for (String n : model.initializers().keySet()) {
            if (names.size() == SAMPLE) {
                names.add("...");
                break;
            }
            names.add("'" + n + "'");
        }
        return new OnnxFormatException(model.source() + ": not a BERT-family export: no encoder layer weights found;"
                + " expected initializers named like 'encoder.layer.0.attention.self.query.bias' or MatMul nodes named"
                + " like '/encoder/layer.0/attention/self/query/MatMul'; it has " + model.initializers().size()
                + " initializers, e.g. " + String.join(", ", names) + "; import only BERT-family models (BERT, MiniLM,"
                + " sentence-transformers) exported from PyTorch with module names kept");
    }

    private static List<String> consumerNames(OnnxModel model, String value) {
        return model.consumers(value).stream().map(n -> n.opType() + " '" + n.name() + "'").toList();
    }

    private static String typeOf(OnnxTensor t) {
        return OnnxDataType.name(t.dataType()) + Arrays.toString(t.dims());
    }

    private static boolean isFloating(OnnxTensor t) {
        int d = t.dataType();
        return d == OnnxDataType.FLOAT || d == OnnxDataType.FLOAT16 || d == OnnxDataType.DOUBLE || d == OnnxDataType.BFLOAT16;
    }
}
