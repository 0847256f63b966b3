package dev.mhc.core.streams;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.mhc.core.module.Forward;
import java.util.function.UnaryOperator;

/**
 * Hyper-connections (Zhu et al., ICLR 2025, arXiv 2409.19606) for one branch: with the streams H
 * (n x C per token), the branch reads {@code A_m^T H}, and the streams become {@code B^T F(A_m^T H)
 * + A_r^T H}, the paper's connection matrix [[0, B], [A_m, A_r]]. Dynamic HC adds to each matrix
 * {@code s * tanh(RMSNorm(H) W)} per token, W at zero and s at 0.01 to start.
 *
 * <p>Initialisation, the paper's: A_m = e_{k mod n} (the k-th branch of the network reads stream
 * k mod n), A_r = I, B = 1. The streams start as n copies of the hidden state and stay copies of
 * the original residual stream, so the injected network computes exactly what it did (the layer
 * hands on the mean of the streams). Train A_m, A_r, B without weight decay: users report NaN
 * with it.
 */
final class HyperConnection extends BranchConnection {

    static final String PRE = "pre";
    static final String RES = "res";
    static final String POST = "post";
    static final String DYNAMIC_PRE_RES = "dynamic_pre_res";
    static final String DYNAMIC_POST = "dynamic_post";
    static final String DYNAMIC_PRE_RES_SCALE = "dynamic_pre_res_scale";
    static final String DYNAMIC_POST_SCALE = "dynamic_post_scale";
    static final float INITIAL_SCALE = 0.01f;

    private final Parameter pre;
    private final Parameter res;
    private final Parameter post;
    private final Parameter dynamicPreRes;
    private final Parameter dynamicPost;
    private final Parameter dynamicPreResScale;
    private final Parameter dynamicPostScale;

    /** @param home the stream this branch reads at the start, k mod n */
    HyperConnection(int n, long hidden, boolean dynamic, int home, NDManager manager) {
        super(n);
        float[] readHome = new float[n];
        readHome[home] = 1;
        pre = parameter(PRE, manager.create(readHome));
        res = parameter(RES, manager.eye(n));
        post = parameter(POST, manager.ones(new Shape(n)));
        if (dynamic) {
            dynamicPreRes = parameter(DYNAMIC_PRE_RES, manager.zeros(new Shape(hidden, n + 1)));
            dynamicPost = parameter(DYNAMIC_POST, manager.zeros(new Shape(hidden, 1)));
            dynamicPreResScale = parameter(DYNAMIC_PRE_RES_SCALE, manager.create(new float[] {INITIAL_SCALE}));
            dynamicPostScale = parameter(DYNAMIC_POST_SCALE, manager.create(new float[] {INITIAL_SCALE}));
        } else {
            dynamicPreRes = dynamicPost = dynamicPreResScale = dynamicPostScale = null;
        }
    }

    /** A_r^T: the streams become A_r^T H. */
    @Override
    double[][] residualMatrix() {
        double[][] r = rows(res);
        double[][] transposed = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                transposed[i][j] = r[j][i];
            }
        }
        return transposed;
    }

    @Override
    NDArray apply(Forward f, NDArray streams, UnaryOperator<NDArray> branch) {
        NDArray a = f.localValue(pre, streams);
        NDArray r = f.localValue(res, streams);
        NDArray b = f.localValue(post, streams);
        NDArray resT;
        if (dynamicPreRes != null) {
            NDArray normed = rmsNorm(streams);
            NDArray alpha = normed.matMul(f.localValue(dynamicPreRes, streams)).tanh()
                    .mul(f.localValue(dynamicPreResScale, streams));
            NDArray beta = normed.matMul(f.localValue(dynamicPost, streams)).tanh()
                    .mul(f.localValue(dynamicPostScale, streams)).squeeze(-1);
            a = alpha.get(new NDIndex("..., 0")).add(a);
            r = alpha.get(new NDIndex("..., 1:")).add(r);
            b = beta.add(b);
            resT = r.swapAxes(-1, -2);
        } else {
            resT = r.transpose();
        }
        NDArray y = branch.apply(read(a, streams));
        return resT.matMul(streams).add(write(b, y));
    }
}
