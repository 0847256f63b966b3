package dev.mhc.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.mhc.core.nn.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, as torch.optim.AdamW) over NDArrays, kept here rather than
 * DJL's optimiser so that its moments and step count can be saved and restored exactly.
 */
public final class AdamW implements AutoCloseable {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final NDManager manager;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long steps;

    public AdamW(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    public long steps() {
        return steps;
    }

    /** Counts one optimiser step; call before the {@link #update}s of that step. */
    void beginStep() {
        steps++;
    }

    /** w <- w (1 - lr wd) - lr mhat / (sqrt(vhat) + eps), in place, outside any autograd graph. */
    void update(String key, NDArray weight, NDArray gradient, double lr, double weightDecay) {
        NDArray m = first.computeIfAbsent(key, k -> moment(weight));
        NDArray v = second.computeIfAbsent(key, k -> moment(weight));
        try (NDManager scratch = manager.newSubManager()) {
            NDArray g = gradient.duplicate();
            g.attach(scratch);
            Scalars.muli(m, BETA1).addi(Scalars.mul(g, 1 - BETA1));
            Scalars.muli(v, BETA2).addi(Scalars.mul(g.square(), 1 - BETA2));
            double correction1 = 1 - Math.pow(BETA1, steps);
            double correction2 = 1 - Math.pow(BETA2, steps);
            NDArray mHat = Scalars.div(m, correction1);
            mHat.attach(scratch);
            NDArray vHat = Scalars.div(v, correction2);
            vHat.attach(scratch);
            NDArray step = Scalars.mul(mHat.div(vHat.sqrt().add((float) EPS)), lr);
            if (weightDecay > 0) {
                Scalars.muli(weight, 1 - lr * weightDecay);
            }
            weight.subi(step);
        }
    }

    /** A zero moment that lives as long as the optimiser, even if created inside an {@link NDScope}. */
    private NDArray moment(NDArray weight) {
        NDArray moment = manager.zeros(weight.getShape(), weight.getDataType());
        NDScope.unregister(moment);
        return moment;
    }

    /** @return the moments by key ("m/<key>", "v/<key>"), for a checkpoint */
    Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        first.forEach((k, a) -> state.put("m/" + k, a));
        second.forEach((k, a) -> state.put("v/" + k, a));
        return state;
    }

    /** Restores what {@link #state} saved, and the step count. */
    void restore(Map<String, float[]> state, Map<String, long[]> shapes, long restoredSteps) {
        state.forEach((name, values) -> {
            NDArray array = manager.create(values, new ai.djl.ndarray.types.Shape(shapes.get(name)));
            (name.startsWith("m/") ? first : second).put(name.substring(2), array);
        });
        steps = restoredSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
