package dev.mhc.hf.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A 2-layer, 4-wide BERT written as ONNX in the layouts exporters use, with the HF-named torch
 * tensors it was made from, so an import can be checked value by value. Only the nodes that
 * consume weights are written; the graph is not meant to run.
 */
final class TinyBertExport {
    static final int H = 4;
    static final int I = 8;
    static final int LAYERS = 2;
    static final int VOCAB = 10;
    static final int POSITIONS = 6;

    /** How a Linear's weight appears in the export. */
    enum Linear {
        /** anonymous {@code onnx::MatMul_N} [in, out] (torch exporter with constant folding) */
        FOLDED_MATMUL,
        /** named [out, in] consumed by Gemm with transB = 1 */
        NAMED_GEMM,
        /** anonymous [in, out] consumed by Gemm with transB = 0 */
        ANONYMOUS_GEMM,
        /** [in, out] held by a Constant node feeding a MatMul */
        CONSTANT_MATMUL
    }

    Linear linear = Linear.FOLDED_MATMUL;
    String prefix = "";
    boolean anonymousBiases;
    boolean sharedLayerNormWeight;
    boolean classifierHead;
    String dropKey;

    /** The torch-layout tensors the export was written from, by HF name; filled by {@link #build}. */
    final Map<String, float[]> truth = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();

    private final Random random = new Random(11);
    private final OnnxProtoWriter.Graph graph = new OnnxProtoWriter.Graph();
    private int anonymous = 100;
    private float[] sharedGamma;

    byte[] build() {
        graph.input("input_ids").input("token_type_ids").output("last_hidden_state");
        String path = prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1);
        long[] positions = new long[POSITIONS];
        for (int i = 0; i < POSITIONS; i++) {
            positions[i] = i;
        }
        graph.initializer(OnnxProtoWriter.longs(prefix + "embeddings.position_ids", new long[] {1, POSITIONS}, positions));
        embedding(path, "word_embeddings", VOCAB, "input_ids");
        embedding(path, "position_embeddings", POSITIONS, "position_ids");
        embedding(path, "token_type_embeddings", 2, "token_type_ids");
        layerNorm(path, "embeddings.LayerNorm", true);
        // the head split: [batch, seq, heads = 2, head size = 2]
        graph.node(path + "/encoder/layer.0/attention/self/Constant", "Constant", List.of(), List.of("shape"),
                OnnxProtoWriter.tensorAttribute("value", OnnxProtoWriter.longs("", new long[] {4}, new long[] {0, 0, 2, 2})));
        graph.node(path + "/encoder/layer.0/attention/self/Reshape", "Reshape", List.of("q", "shape"), List.of("q4"));
        for (int l = 0; l < LAYERS; l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense")) {
                linear(path, p + m, H, H);
            }
            layerNorm(path, p + "attention.output.LayerNorm", false);
            linear(path, p + "intermediate.dense", H, I);
            linear(path, p + "output.dense", I, H);
            layerNorm(path, p + "output.LayerNorm", false);
        }
        if (classifierHead) {
            graph.initializer(OnnxProtoWriter.floats("classifier.weight", new long[] {3, H}, values(3 * H)));
            graph.initializer(OnnxProtoWriter.floats("classifier.bias", new long[] {3}, values(3)));
            graph.node("/classifier/Gemm", "Gemm", List.of("pooled", "classifier.weight", "classifier.bias"),
                    List.of("logits"), OnnxProtoWriter.intAttribute("transB", 1));
        }
        return graph.model(14);
    }

    private void embedding(String path, String name, int rows, String ids) {
        String key = "embeddings." + name + ".weight";
        float[] w = remember(key, new long[] {rows, H}, values(rows * H));
        graph.initializer(OnnxProtoWriter.floats(prefix + key, new long[] {rows, H}, w));
        graph.node(path + "/embeddings/" + name + "/Gather", "Gather", List.of(prefix + key, ids), List.of(name + "_out"));
    }

    private void linear(String path, String module, int in, int out) {
        String node = path + "/" + module.replace('.', '/');
        float[] w = remember(module + ".weight", new long[] {out, in}, values(out * in));
        float[] b = remember(module + ".bias", new long[] {out}, values(out));
        float[] folded = OnnxBertImport.transpose(w, out, in);
        String biasName = anonymousBiases ? "onnx::Add_" + anonymous++ : prefix + module + ".bias";
        String x = module + ".in";
        switch (linear) {
            case FOLDED_MATMUL, CONSTANT_MATMUL -> {
                String wName;
                if (linear == Linear.FOLDED_MATMUL) {
                    wName = "onnx::MatMul_" + anonymous++;
                    graph.initializer(OnnxProtoWriter.floats(wName, new long[] {in, out}, folded));
                } else {
                    wName = node + "/Constant_output_0";
                    graph.node(node + "/Constant", "Constant", List.of(), List.of(wName), OnnxProtoWriter
                            .tensorAttribute("value", OnnxProtoWriter.floats("", new long[] {in, out}, folded)));
                }
                graph.node(node + "/MatMul", "MatMul", List.of(x, wName), List.of(module + ".mm"));
                addBias(biasName, b, out);
                graph.node(node + "/Add", "Add", List.of(biasName, module + ".mm"), List.of(module + ".out"));
            }
            case NAMED_GEMM, ANONYMOUS_GEMM -> {
                boolean named = linear == Linear.NAMED_GEMM;
                String wName = named ? prefix + module + ".weight" : "onnx::Gemm_" + anonymous++;
                graph.initializer(named ? OnnxProtoWriter.floats(wName, new long[] {out, in}, w)
                        : OnnxProtoWriter.floats(wName, new long[] {in, out}, folded));
                addBias(biasName, b, out);
                graph.node(node + "/Gemm", "Gemm", List.of(x, wName, biasName), List.of(module + ".out"),
                        OnnxProtoWriter.intAttribute("transB", named ? 1 : 0));
            }
        }
    }

    private void addBias(String name, float[] b, int out) {
        if (!dropped(name)) {
            graph.initializer(OnnxProtoWriter.floats(name, new long[] {out}, b));
        }
    }

    private void layerNorm(String path, String module, boolean first) {
        String node = path + "/" + module.replace('.', '/');
        float[] gamma = sharedLayerNormWeight ? shared() : values(H);
        remember(module + ".weight", new long[] {H}, gamma);
        float[] beta = remember(module + ".bias", new long[] {H}, values(H));
        String gammaName = sharedLayerNormWeight ? prefix + "embeddings.LayerNorm.weight" : prefix + module + ".weight";
        if (!sharedLayerNormWeight || first) {
            graph.initializer(OnnxProtoWriter.floats(gammaName, new long[] {H}, gamma));
        }
        String betaName = prefix + module + ".bias";
        if (!dropped(betaName)) {
            graph.initializer(OnnxProtoWriter.floats(betaName, new long[] {H}, beta));
        }
        String eps = module + ".eps";
        graph.initializer(OnnxProtoWriter.floats(eps, new long[] {}, new float[] {1e-12f}));
        graph.node(node + "/Add", "Add", List.of(module + ".var", eps), List.of(module + ".var_eps"));
        graph.node(node + "/Mul", "Mul", List.of(module + ".norm", gammaName), List.of(module + ".scaled"));
        graph.node(node + "/Add_1", "Add", List.of(module + ".scaled", betaName), List.of(module + ".out"));
    }

    private boolean dropped(String name) {
        return dropKey != null && name.equals(prefix + dropKey);
    }

    private float[] shared() {
        if (sharedGamma == null) {
            sharedGamma = values(H);
        }
        return sharedGamma;
    }

    private float[] remember(String key, long[] shape, float[] values) {
        if (!key.equals(dropKey)) {
            truth.put(key, values);
            shapes.put(key, shape);
        }
        return values;
    }

    private float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
