package dev.mhc.viz.streams;

import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.core.io.AtomicDirectory;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.core.streams.HyperConnectedLayer;
import dev.mhc.core.streams.HyperConnections;
import dev.mhc.core.nn.Sinkhorn;
import dev.mhc.core.streams.StreamsConfig;
import dev.mhc.core.streams.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The matrices that carry the streams past each residual branch (HC's A_r^T, mHC's H_res), from
 * their token-independent parameters, in the order the branches run; from a model or from a
 * streams directory, without a model.
 *
 * @param label what the report calls this (the directory's name)
 * @param branches every branch of every wrapped layer, in order
 */
public record ResidualMatrices(String label, StreamsConfig settings, List<Branch> branches) {

    /**
     * @param sinkhornResidual for mHC, the row-sum error plain Sinkhorn iterations leave before the
     *     balancing step; 0 for HC
     */
    public record Branch(String layer, String branch, double[][] matrix, double sinkhornResidual) {}

    /** @return the matrices of the model's hyper-connected layers */
    public static ResidualMatrices extract(Block model, String label) {
        List<HyperConnectedLayer> layers = HyperConnections.layers(model);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no hyper-connected layers");
        }
        StreamsConfig settings = layers.get(0).config();
        List<Branch> branches = new ArrayList<>();
        for (HyperConnectedLayer layer : layers) {
            for (Map.Entry<String, double[][]> e : layer.residualMatrices().entrySet()) {
                branches.add(new Branch(layer.path(), e.getKey(), e.getValue(), 0));
            }
        }
        return new ResidualMatrices(label, settings, branches);
    }

    /** Reads a directory {@link HyperConnections#save} wrote. */
    public static ResidualMatrices read(Path dir) throws IOException {
        Path source = AtomicDirectory.forReading(dir);
        Path configFile = source.resolve(HyperConnections.kind().configFile());
        if (!Files.isRegularFile(configFile)) {
            throw new IOException("no " + configFile.getFileName() + " in " + dir + ": not a streams directory");
        }
        JsonNode config = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readTree(configFile.toFile());
        JsonNode s = config.path("settings");
        StreamsConfig settings = new StreamsConfig(s.path("streams").asInt(), Variant.valueOf(s.path("variant").asText()),
                s.path("sinkhorn_iterations").asInt(StreamsConfig.DEFAULT_SINKHORN_ITERATIONS));
        int n = settings.streams();
        boolean manifold = settings.variant().manifold();
        String suffix = manifold ? ".res_bias" : ".res";
        List<Branch> branches = new ArrayList<>();
        try (SafetensorsFile weights = SafetensorsFile.open(source.resolve(HyperConnections.kind().weightsFile()))) {
            for (JsonNode layer : config.path("layers")) {
                String prefix = layer.path("path").asText() + ".streams_";
                for (String key : weights.names()) {
                    if (!key.startsWith(prefix) || !key.endsWith(suffix)) {
                        continue;
                    }
                    double[][] m = square(weights.readFloats(key), n, key);
                    String branch = key.substring(prefix.length(), key.length() - suffix.length());
                    if (manifold) {
                        int t = settings.sinkhornIterations();
                        branches.add(new Branch(layer.path("path").asText(), branch, Sinkhorn.project(m, t),
                                Sinkhorn.residual(m, t)));
                    } else {
                        branches.add(new Branch(layer.path("path").asText(), branch, transpose(m), 0));
                    }
                }
            }
        }
        if (branches.isEmpty()) {
            throw new IOException(dir + " holds no residual matrices (*" + suffix + ")");
        }
        return new ResidualMatrices(dir.getFileName().toString(), settings, branches);
    }

    private static double[][] square(float[] values, int n, String key) throws IOException {
        if (values.length != n * n) {
            throw new IOException(key + " has " + values.length + " values; an n x n matrix for n = " + n + " has " + n * n);
        }
        double[][] m = new double[n][n];
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                throw new IOException(key + " holds non-finite values");
            }
            m[k / n][k % n] = values[k];
        }
        return m;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                t[i][j] = m[j][i];
            }
        }
        return t;
    }
}
