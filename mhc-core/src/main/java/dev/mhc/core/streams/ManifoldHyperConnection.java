package dev.mhc.core.streams;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mhc.core.nn.Sinkhorn;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import dev.mhc.core.nn.Scalars;
import java.util.function.UnaryOperator;

/**
 * DeepSeek's manifold-constrained hyper-connections (Xie et al., arXiv 2512.24880) for one branch.
 * With x the n x C streams of a token, flattened and RMS-normalised to x~:
 *
 * <pre>
 * H_pre  = sigmoid(alpha_pre (x~ phi_pre) + b_pre)          1 x n, non-negative
 * H_post = 2 sigmoid(alpha_post (x~ phi_post) + b_post)     1 x n, in (0, 2)
 * H_res  = SinkhornKnopp(alpha_res mat(x~ phi_res) + b_res)  n x n, doubly stochastic
 * x_next = H_res x + H_post^T F(H_pre x)
 * </pre>
 *
 * in f32, Sinkhorn in the log domain ({@link Sinkhorn}). The static variant keeps the biases only.
 *
 * <p>Initialisation, chosen so that the injected network computes exactly what it did (the
 * paper's own does not preserve a pretrained function): the gating factors alpha are 0 (phi is
 * drawn from N(0, 0.02^2), so alpha still gets a gradient); b_pre makes H_pre read 0.97 of the
 * branch's home stream k mod n and share 0.03 among the others (the weights sum to 1); b_post = 0
 * makes H_post = 1, the output written to every stream; b_res = ln(9 (n - 1)) I makes H_res 0.9 on
 * the diagonal and doubly stochastic. The streams start as n copies and, since H_res's rows sum
 * to 1 and every stream receives the same output, stay copies of the original residual stream
 * until training moves the parameters; the home streams break the symmetry between them.
 */
final class ManifoldHyperConnection extends BranchConnection {

    static final String PRE_BIAS = "pre_bias";
    static final String POST_BIAS = "post_bias";
    static final String RES_BIAS = "res_bias";
    static final String PRE_PROJ = "pre_proj";
    static final String POST_PROJ = "post_proj";
    static final String RES_PROJ = "res_proj";
    static final String PRE_GATE = "pre_gate";
    static final String POST_GATE = "post_gate";
    static final String RES_GATE = "res_gate";
    static final double HOME_SHARE = 0.97;
    static final double RES_DIAGONAL = 0.9;

    private final int iterations;
    private final Parameter preBias;
    private final Parameter postBias;
    private final Parameter resBias;
    private final Parameter preProj;
    private final Parameter postProj;
    private final Parameter resProj;
    private final Parameter preGate;
    private final Parameter postGate;
    private final Parameter resGate;

    ManifoldHyperConnection(int n, long hidden, boolean dynamic, int home, int iterations, NDManager manager) {
        super(n);
        this.iterations = iterations;
        float[] pre = new float[n];
        for (int j = 0; j < n; j++) {
            pre[j] = (float) logit(j == home ? HOME_SHARE : (1 - HOME_SHARE) / (n - 1));
        }
        preBias = parameter(PRE_BIAS, manager.create(pre));
        postBias = parameter(POST_BIAS, manager.zeros(new Shape(n)));
        float[] res = new float[n * n];
        float diagonal = (float) Math.log(RES_DIAGONAL / (1 - RES_DIAGONAL) * (n - 1));
        for (int j = 0; j < n; j++) {
            res[j * n + j] = diagonal;
        }
        resBias = parameter(RES_BIAS, manager.create(res, new Shape(n, n)));
        if (dynamic) {
            long flat = n * hidden;
            preProj = parameter(PRE_PROJ, manager.randomNormal(0, 0.02f, new Shape(flat, n), DataType.FLOAT32));
            postProj = parameter(POST_PROJ, manager.randomNormal(0, 0.02f, new Shape(flat, n), DataType.FLOAT32));
            resProj = parameter(RES_PROJ, manager.randomNormal(0, 0.02f, new Shape(flat, (long) n * n), DataType.FLOAT32));
            preGate = parameter(PRE_GATE, manager.zeros(new Shape(1)));
            postGate = parameter(POST_GATE, manager.zeros(new Shape(1)));
            resGate = parameter(RES_GATE, manager.zeros(new Shape(1)));
        } else {
            preProj = postProj = resProj = preGate = postGate = resGate = null;
        }
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /** H_res from its bias: doubly stochastic. */
    @Override
    double[][] residualMatrix() {
        return Sinkhorn.project(rows(resBias), iterations);
    }

    @Override
    NDArray apply(Forward f, NDArray streams, UnaryOperator<NDArray> branch) {
        NDArray preLogits = f.localValue(preBias, streams);
        NDArray postLogits = f.localValue(postBias, streams);
        NDArray resLogits = f.localValue(resBias, streams);
        if (preProj != null) {
            Shape shape = streams.getShape();
            NDArray flat = rmsNorm(streams.reshape(shape.slice(0, shape.dimension() - 2).add(-1)));
            preLogits = flat.matMul(f.localValue(preProj, streams)).mul(f.localValue(preGate, streams)).add(preLogits);
            postLogits = flat.matMul(f.localValue(postProj, streams)).mul(f.localValue(postGate, streams)).add(postLogits);
            NDArray mixed = flat.matMul(f.localValue(resProj, streams)).mul(f.localValue(resGate, streams));
            resLogits = mixed.reshape(shape.slice(0, shape.dimension() - 2).add(n, n)).add(resLogits);
        }
        NDArray hPre = Activation.sigmoid(preLogits);
        NDArray hPost = Scalars.mul(Activation.sigmoid(postLogits), 2);
        NDArray hRes = Sinkhorn.project(resLogits, iterations);
        NDArray y = branch.apply(read(hPre, streams));
        return hRes.matMul(streams).add(write(hPost, y));
    }
}
