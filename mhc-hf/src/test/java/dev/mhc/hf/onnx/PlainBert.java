package dev.mhc.hf.onnx;

import dev.mhc.core.io.TensorSource;
import java.io.IOException;

/**
 * HF BertModel's forward pass in plain Java (double precision, one sequence), reading weights by
 * their HF names in torch layout. Comparing it with ONNX Runtime ties every imported tensor,
 * including each transposed Linear weight, to the graph it came from, without DJL.
 */
final class PlainBert {
    private final TensorSource w;
    private final OnnxBertConfig config;

    PlainBert(TensorSource weights, OnnxBertConfig config) {
        this.w = weights;
        this.config = config;
    }

    /** [seq, hidden] row-major; positions with mask 0 are computed but attend nowhere. */
    float[] lastHiddenState(long[] ids, long[] typeIds, long[] mask) throws IOException {
        int seq = ids.length;
        int h = config.hiddenSize();
        float[] word = w.readFloats("embeddings.word_embeddings.weight");
        float[] pos = w.readFloats("embeddings.position_embeddings.weight");
        float[] type = w.readFloats("embeddings.token_type_embeddings.weight");
        double[][] x = new double[seq][h];
        for (int s = 0; s < seq; s++) {
            for (int j = 0; j < h; j++) {
                x[s][j] = word[(int) ids[s] * h + j] + pos[s * h + j] + type[(int) typeIds[s] * h + j];
            }
        }
        x = layerNorm(x, "embeddings.LayerNorm");
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            x = layer(x, mask, "encoder.layer." + l + ".");
        }
        float[] out = new float[seq * h];
        for (int s = 0; s < seq; s++) {
            for (int j = 0; j < h; j++) {
                out[s * h + j] = (float) x[s][j];
            }
        }
        return out;
    }

    private double[][] layer(double[][] x, long[] mask, String p) throws IOException {
        int seq = x.length;
        int heads = config.numAttentionHeads();
        int d = config.hiddenSize() / heads;
        double[][] q = linear(x, p + "attention.self.query");
        double[][] k = linear(x, p + "attention.self.key");
        double[][] v = linear(x, p + "attention.self.value");
        double[][] ctx = new double[seq][config.hiddenSize()];
        for (int hd = 0; hd < heads; hd++) {
            for (int i = 0; i < seq; i++) {
                double[] score = new double[seq];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < seq; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += q[i][hd * d + c] * k[j][hd * d + c];
                    }
                    score[j] = mask[j] == 0 ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(d);
                    max = Math.max(max, score[j]);
                }
                double sum = 0;
                for (int j = 0; j < seq; j++) {
                    score[j] = Math.exp(score[j] - max);
                    sum += score[j];
                }
                for (int j = 0; j < seq; j++) {
                    for (int c = 0; c < d; c++) {
                        ctx[i][hd * d + c] += score[j] / sum * v[j][hd * d + c];
                    }
                }
            }
        }
        double[][] attention = layerNorm(add(linear(ctx, p + "attention.output.dense"), x), p + "attention.output.LayerNorm");
        double[][] inner = linear(attention, p + "intermediate.dense");
        for (double[] row : inner) {
            for (int j = 0; j < row.length; j++) {
                row[j] = 0.5 * row[j] * (1 + erf(row[j] / Math.sqrt(2)));
            }
        }
        return layerNorm(add(linear(inner, p + "output.dense"), attention), p + "output.LayerNorm");
    }

    /** torch's Linear: y = x W^T + b with W [out, in]. */
    private double[][] linear(double[][] x, String module) throws IOException {
        float[] weight = w.readFloats(module + ".weight");
        float[] bias = w.readFloats(module + ".bias");
        int out = bias.length;
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int s = 0; s < x.length; s++) {
            for (int o = 0; o < out; o++) {
                double acc = bias[o];
                for (int i = 0; i < in; i++) {
                    acc += weight[o * in + i] * x[s][i];
                }
                y[s][o] = acc;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String module) throws IOException {
        float[] gamma = w.readFloats(module + ".weight");
        float[] beta = w.readFloats(module + ".bias");
        double[][] y = new double[x.length][];
        for (int s = 0; s < x.length; s++) {
            double mean = 0;
            for (double v : x[s]) {
                mean += v;
            }
            mean /= x[s].length;
            double var = 0;
            for (double v : x[s]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[s].length;
            double inv = 1 / Math.sqrt(var + config.layerNormEps());
            y[s] = new double[x[s].length];
            for (int j = 0; j < x[s].length; j++) {
                y[s][j] = (x[s][j] - mean) * inv * gamma[j] + beta[j];
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][];
        for (int s = 0; s < a.length; s++) {
            y[s] = new double[a[s].length];
            for (int j = 0; j < a[s].length; j++) {
                y[s][j] = a[s][j] + b[s][j];
            }
        }
        return y;
    }

    /** erf via the complementary error function's Chebyshev fit; fractional error below 1.2e-7. */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc : erfc - 1;
    }
}
