package dev.mhc.core.streams;

import dev.mhc.core.nn.Sinkhorn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.testing.ManagedTest;
import dev.mhc.core.testing.PreNormStack;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The streams against the papers' formulas evaluated by hand in double precision, with every
 * connection parameter moved away from its start: a two-layer pre-norm stack, n = 3 streams (so
 * the mean that hands the hidden state on is not a power of two), two tokens.
 */
class StreamFormulaTest extends ManagedTest {

    private static final int N = 3;
    private static final int C = PreNormStack.HIDDEN;
    private static final int T = 2;
    private static final String[] BRANCHES = {"attn", "mlp"};

    private Map<String, Parameter> parameters;

    private double[] vector(String key) {
        float[] f = parameters.get(key).getArray().toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private double[][] matrix(String key, int columns) {
        double[] flat = vector(key);
        double[][] m = new double[flat.length / columns][columns];
        for (int k = 0; k < flat.length; k++) {
            m[k / columns][k % columns] = flat[k];
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void twoLayersMatchTheFormula(Variant variant) {
        PreNormStack stack = PreNormStack.initialised(2, manager);
        HyperConnections.builder().target(PreNormStack.Layer.class.getSimpleName()).streams(N).variant(variant)
                .inject(stack);
        Random random = new Random(4);
        for (Parameter p : HyperConnections.parameters(stack).values()) {
            float[] values = p.getArray().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) random.nextGaussian() * 0.4f;
            }
            p.getArray().set(values);
        }
        parameters = ModuleTree.parameters(stack);
        float[] input = new float[T * C];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        NDArray out = stack.forward(ps, new NDList(manager.create(input, new Shape(1, T, C))), false).head();

        float[] actual = out.toFloatArray();
        for (int t = 0; t < T; t++) {
            double[][] h = new double[N][C];
            for (int j = 0; j < N; j++) {
                for (int c = 0; c < C; c++) {
                    h[j][c] = input[t * C + c];
                }
            }
            for (int layer = 0; layer < 2; layer++) {
                for (String branch : BRANCHES) {
                    h = step(variant, "layer." + layer, branch, h);
                }
            }
            for (int c = 0; c < C; c++) {
                double mean = 0;
                for (int j = 0; j < N; j++) {
                    mean += h[j][c] / N;
                }
                assertEquals(mean, actual[t * C + c], 1e-5, variant + " token " + t + " feature " + c);
            }
        }
        assertTrue(Math.abs(actual[0] - input[0]) > 1e-3, "the stack computes something");
    }

    /** One branch: read, F, write, as the javadoc of the variant states it. */
    private double[][] step(Variant variant, String layer, String branch, double[][] h) {
        String p = layer + ".streams_" + branch + ".";
        double[] pre;
        double[] post;
        double[][] carry; // h'_i = sum_j carry[i][j] h_j + post_i y
        if (!variant.manifold()) {
            pre = vector(p + "pre");
            post = vector(p + "post");
            double[][] res = matrix(p + "res", N);
            if (variant.dynamic()) {
                double[][] w = matrix(p + "dynamic_pre_res", N + 1);
                double[][] wb = matrix(p + "dynamic_post", 1);
                double s = vector(p + "dynamic_pre_res_scale")[0];
                double sb = vector(p + "dynamic_post_scale")[0];
                pre = pre.clone();
                post = post.clone();
                res = copy(res);
                for (int j = 0; j < N; j++) {
                    double[] normed = rms(h[j]);
                    for (int m = 0; m <= N; m++) {
                        double a = 0;
                        for (int c = 0; c < C; c++) {
                            a += normed[c] * w[c][m];
                        }
                        a = Math.tanh(a) * s;
                        if (m == 0) {
                            pre[j] += a;
                        } else {
                            res[j][m - 1] += a;
                        }
                    }
                    double b = 0;
                    for (int c = 0; c < C; c++) {
                        b += normed[c] * wb[c][0];
                    }
                    post[j] += Math.tanh(b) * sb;
                }
            }
            carry = new double[N][N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    carry[i][j] = res[j][i]; // A_r^T
                }
            }
        } else {
            double[] preLogits = vector(p + "pre_bias").clone();
            double[] postLogits = vector(p + "post_bias").clone();
            double[][] resLogits = copy(matrix(p + "res_bias", N));
            if (variant.dynamic()) {
                double[] flat = new double[N * C];
                for (int j = 0; j < N; j++) {
                    System.arraycopy(h[j], 0, flat, j * C, C);
                }
                double[] x = rms(flat);
                double[][] phiPre = matrix(p + "pre_proj", N);
                double[][] phiPost = matrix(p + "post_proj", N);
                double[][] phiRes = matrix(p + "res_proj", N * N);
                double aPre = vector(p + "pre_gate")[0];
                double aPost = vector(p + "post_gate")[0];
                double aRes = vector(p + "res_gate")[0];
                for (int k = 0; k < x.length; k++) {
                    for (int j = 0; j < N; j++) {
                        preLogits[j] += aPre * x[k] * phiPre[k][j];
                        postLogits[j] += aPost * x[k] * phiPost[k][j];
                    }
                    for (int q = 0; q < N * N; q++) {
                        resLogits[q / N][q % N] += aRes * x[k] * phiRes[k][q];
                    }
                }
            }
            pre = new double[N];
            post = new double[N];
            for (int j = 0; j < N; j++) {
                pre[j] = 1 / (1 + Math.exp(-preLogits[j]));
                post[j] = 2 / (1 + Math.exp(-postLogits[j]));
            }
            carry = Sinkhorn.project(resLogits, StreamsConfig.DEFAULT_SINKHORN_ITERATIONS);
        }
        double[] in = new double[C];
        for (int j = 0; j < N; j++) {
            for (int c = 0; c < C; c++) {
                in[c] += pre[j] * h[j][c];
            }
        }
        double[] y = branch(layer + "." + branch, in);
        double[][] next = new double[N][C];
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < C; c++) {
                double v = post[i] * y[c];
                for (int j = 0; j < N; j++) {
                    v += carry[i][j] * h[j][c];
                }
                next[i][c] = v;
            }
        }
        return next;
    }

    /** The test stack's branch: tanh(W x + b). */
    private double[] branch(String linear, double[] x) {
        double[][] w = matrix(linear + ".weight", C);
        double[] b = vector(linear + ".bias");
        double[] y = new double[C];
        for (int o = 0; o < C; o++) {
            double v = b[o];
            for (int c = 0; c < C; c++) {
                v += w[o][c] * x[c];
            }
            y[o] = Math.tanh(v);
        }
        return y;
    }

    private static double[] rms(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v * v / x.length;
        }
        double scale = 1 / Math.sqrt(mean + BranchConnection.NORM_EPS);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * scale;
        }
        return out;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
