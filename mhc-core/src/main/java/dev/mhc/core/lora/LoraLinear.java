package dev.mhc.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.UniformInitializer;
import dev.mhc.core.module.Forward;
import dev.mhc.core.nn.Linear;
import dev.mhc.core.nn.LinearLike;
import dev.mhc.core.nn.Scalars;
import dev.mhc.core.nn.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dense projection with a low-rank update: y = base(x) + B(A(dropout(x))) * s, where s is
 * alpha / r (or alpha / sqrt(r) with rsLoRA) for this layer's r and alpha. A starts uniform in
 * +-1/sqrt(in) (PEFT's kaiming-uniform with a = sqrt(5)) and B at zero, so the wrapped model
 * starts as the base model. The base keeps its path ({@code query.weight}); the adapter sits below
 * it ({@code query.lora_A.weight}, {@code query.lora_B.weight}), PEFT's names.
 *
 * <p>With DoRA the layer computes m * (W + s B A) x / ||W + s B A|| (row norms, plus the base bias),
 * as PEFT's {@code DoraLinearLayer}: the norm is detached from the graph, m ({@code
 * lora_magnitude_vector}) starts at the row norms of W, and the output is written as base(x) +
 * (m / norm - 1) (base(x) - bias) + (m / norm) s B A x.
 */
public final class LoraLinear extends LoraLayer {

    /** PEFT's names of the adapter weights, relative to the projection's path. */
    static final String A_WEIGHT = "lora_A.weight";
    static final String B_WEIGHT = "lora_B.weight";
    static final String MAGNITUDE = "lora_magnitude_vector";

    private final LoraConfig config;
    private final int rank;
    private final double scaling;
    private final Linear loraA;
    private final Linear loraB;
    private final Parameter magnitude;
    private boolean merged;
    /** DoRA's row norms at merge time, which unmerging divides back out. */
    private float[] mergedNorm;

    LoraLinear(LinearLike base, String path, LoraConfig config) {
        super(base, path);
        this.config = config;
        rank = config.rank(path);
        scaling = config.scaling(path);
        loraA = register("lora_A", new Linear(base.inFeatures(), rank, false));
        loraB = register("lora_B", new Linear(rank, base.outFeatures(), false));
        float bound = (float) (1 / Math.sqrt(base.inFeatures()));
        loraA.weight().setInitializer(new UniformInitializer(bound));
        loraB.weight().setInitializer((manager, shape, type) -> manager.zeros(shape, type));
        magnitude = config.useDora() ? addParameter(Weights.ones(MAGNITUDE, new Shape(base.outFeatures()))) : null;
    }

    /** Shapes of the layer's own parameters, by PEFT's names, before it exists. */
    static Map<String, Shape> shapes(LinearLike base, String path, LoraConfig config) {
        int r = config.rank(path);
        long limit = Math.min(base.inFeatures(), base.outFeatures());
        if (r > limit) {
            throw new IllegalArgumentException("LoRA rank " + r + " at \"" + path + "\" exceeds min(in, out) = " + limit
                    + " of that projection: B A cannot have a higher rank, so the rest would be memory only; use r <= "
                    + limit);
        }
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(A_WEIGHT, new Shape(r, base.inFeatures()));
        shapes.put(B_WEIGHT, new Shape(base.outFeatures(), r));
        if (config.useDora()) {
            shapes.put(MAGNITUDE, new Shape(base.outFeatures()));
        }
        return shapes;
    }

    @Override
    public LinearLike wrapped() {
        return (LinearLike) super.wrapped();
    }

    @Override
    public Map<String, Parameter> ownParameters() {
        Map<String, Parameter> own = new LinkedHashMap<>();
        own.put(A_WEIGHT, loraA());
        own.put(B_WEIGHT, loraB());
        if (magnitude != null) {
            own.put(MAGNITUDE, magnitude);
        }
        return own;
    }

    /** The base weight must come back as it was: take the update out first. */
    @Override
    public void beforeRemoval() {
        unmerge();
    }

    @Override
    public LoraConfig config() {
        return config;
    }

    /** @return this layer's rank (r, or its rank pattern's) */
    public int rank() {
        return rank;
    }

    /** @return this layer's scale of B A */
    public double scaling() {
        return scaling;
    }

    public Parameter loraA() {
        return loraA.weight();
    }

    public Parameter loraB() {
        return loraB.weight();
    }

    /** @return DoRA's magnitude vector, or {@code null} without DoRA */
    public Parameter magnitude() {
        return magnitude;
    }

    public boolean merged() {
        return merged;
    }

    /** DoRA starts as the base layer: m = ||W + s B A|| row-wise (B = 0 here, so ||W||). */
    void initializeMagnitude() {
        if (magnitude == null) {
            return;
        }
        try (NDManager scratch = magnitude.getArray().getManager().newSubManager()) {
            assign(magnitude.getArray(), rowNorms(weightOutIn(scratch).add(delta(scratch))));
        }
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDList out = f.run(wrapped(), inputs);
        if (merged) {
            return out;
        }
        NDArray x = inputs.head();
        boolean dropout = f.training() && config.loraDropout() > 0;
        if (dropout) {
            x = ai.djl.nn.norm.Dropout.dropout(x, (float) config.loraDropout(), true).head();
        }
        NDArray down = f.run(loraA, new NDList(x)).head();
        NDArray update = Scalars.mul(f.run(loraB, new NDList(down)).head(), scaling);
        NDList result = new NDList(out);
        if (magnitude == null) {
            result.set(0, out.head().add(update));
            return result;
        }
        // parameters as call-local arrays: results join their first operand's manager
        NDArray weight = f.localValue(wrapped().weight(), x);
        weight = wrapped().weightTransposed() ? weight.transpose() : weight;
        NDArray lora = f.localValue(loraB.weight(), x).matMul(f.localValue(loraA.weight(), x));
        NDArray norm = rowNorms(weight.add(Scalars.mul(lora, scaling))).stopGradient();
        NDArray scale = f.localValue(magnitude, x).div(norm);
        NDArray baseResult;
        if (dropout) {
            baseResult = x.matMul(weight.transpose()); // PEFT recomputes the base on the dropped-out input
        } else {
            Parameter bias = wrapped().bias();
            baseResult = bias == null ? out.head() : out.head().sub(f.value(bias, x));
        }
        result.set(0, out.head().add(baseResult.mul(scale.sub(1))).add(update.mul(scale)));
        return result;
    }

    /** Folds the update into the base weight (for inference at the base's speed). */
    void merge() {
        if (merged) {
            return;
        }
        NDArray weight = wrapped().weight().getArray();
        try (NDManager scratch = weight.getManager().newSubManager()) {
            NDArray delta = delta(scratch);
            if (magnitude == null) {
                weight.addi(stored(delta));
            } else {
                // W' = m / ||W + delta|| * (W + delta), row-wise; the norm is kept for unmerging
                NDArray combined = weightOutIn(scratch).add(delta);
                NDArray norm = rowNorms(combined);
                assign(weight, stored(combined.mul(copy(magnitude.getArray(), scratch).div(norm).expandDims(1))));
                mergedNorm = norm.toFloatArray();
            }
        }
        merged = true;
    }

    /** Takes the update back out of the base weight. */
    void unmerge() {
        if (!merged) {
            return;
        }
        NDArray weight = wrapped().weight().getArray();
        try (NDManager scratch = weight.getManager().newSubManager()) {
            NDArray delta = delta(scratch);
            if (magnitude == null) {
                weight.subi(stored(delta));
            } else {
                // W = W' / (m / norm) - delta, with the norm kept from merging
                NDArray factor = copy(magnitude.getArray(), scratch).div(scratch.create(mergedNorm)).expandDims(1);
                assign(weight, stored(weightOutIn(scratch).div(factor).sub(delta)));
                mergedNorm = null;
            }
        }
        merged = false;
    }

    /** The base weight as [out, in], whatever its stored layout, copied into {@code scratch}. */
    private NDArray weightOutIn(NDManager scratch) {
        NDArray weight = copy(wrapped().weight().getArray(), scratch);
        return wrapped().weightTransposed() ? weight.transpose() : weight;
    }

    /** An [out, in] array in the base weight's stored layout. */
    private NDArray stored(NDArray outIn) {
        return wrapped().weightTransposed() ? outIn.transpose() : outIn;
    }

    /** s B A as [out, in], outside any graph, in {@code scratch}. */
    private NDArray delta(NDManager scratch) {
        NDArray update = loraB.weight().getArray().matMul(loraA.weight().getArray());
        update.attach(scratch); // later results join the first operand's manager: scratch
        return Scalars.mul(update, scaling).stopGradient();
    }

    /** {@code target}'s values replaced in place by {@code values}, inside the engine. */
    private static void assign(NDArray target, NDArray values) {
        target.set(new NDIndex("..."), values);
    }

    private static NDArray copy(NDArray array, NDManager scratch) {
        NDArray copy = array.duplicate();
        copy.attach(scratch); // later results join the first operand's manager: scratch
        return copy;
    }

    /** The norm of every output row of an [out, in] weight. */
    private static NDArray rowNorms(NDArray weight) {
        return weight.square().sum(new int[] {1}).sqrt();
    }

    @Override
    public String toString() {
        return "LoraLinear(" + path() + ", r=" + rank + (magnitude != null ? ", DoRA" : "") + ")";
    }
}
