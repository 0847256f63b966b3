package dev.mhc.hf.gemma3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embeddings as HF computes them: inverse frequencies 1 / base^(2i/d) in f32
 * (divided by the factor for linear scaling), angles = positions x frequencies, cos and sin of
 * [angles, angles]; applied as x cos + rotate_half(x) sin.
 */
final class Gemma3Rope {

    private Gemma3Rope() {}

    /** @return [cos, sin], each [batch or 1, seq, dim] */
    static NDList table(NDArray positions, int dim, double base, double factor) {
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / dim;
            inv[i] = (float) (1f / (float) Math.pow(base, exponent) / factor);
        }
        NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(-1)
                .mul(positions.getManager().create(inv));
        NDArray angles = NDArrays.concat(new NDList(freqs, freqs), -1);
        return new NDList(angles.cos(), angles.sin());
    }

    /** x [batch, heads, seq, dim] rotated by cos, sin [batch, seq, dim]. */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);
        return x.mul(cos.expandDims(1)).add(rotated.mul(sin.expandDims(1)));
    }
}
