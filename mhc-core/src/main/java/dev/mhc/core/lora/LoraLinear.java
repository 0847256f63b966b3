package dev.mhc.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.UniformInitializer;
import dev.mhc.core.adapter.AdapterModule;
import dev.mhc.core.module.Forward;
import dev.mhc.core.nn.Linear;
import dev.mhc.core.nn.LinearLike;
import dev.mhc.core.nn.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dense projection with a low-rank update: y = base(x) + B(A(dropout(x))) * alpha / r. A starts
 * uniform in +-1/sqrt(in) (PEFT's kaiming-uniform with a = sqrt(5)) and B at zero, so the wrapped
 * model starts as the base model. The base keeps its path ({@code query.weight}); the adapter
 * sits below it ({@code query.lora_A.weight}, {@code query.lora_B.weight}), PEFT's names.
 */
public final class LoraLinear extends AdapterModule {

    /** PEFT's names of the adapter weights, relative to the projection's path. */
    static final String A_WEIGHT = "lora_A.weight";
    static final String B_WEIGHT = "lora_B.weight";


    private final LoraConfig config;
    private final Linear loraA;
    private final Linear loraB;
    private boolean merged;

    LoraLinear(LinearLike base, String path, LoraConfig config) {
        super(base, path);
        this.config = config;
        loraA = register("lora_A", new Linear(base.inFeatures(), config.r(), false));
        loraB = register("lora_B", new Linear(config.r(), base.outFeatures(), false));
        float bound = (float) (1 / Math.sqrt(base.inFeatures()));
        loraA.weight().setInitializer(new UniformInitializer(bound));
        loraB.weight().setInitializer((manager, shape, type) -> manager.zeros(shape, type));
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
        return own;
    }

    /** The base weight must come back as it was: take the update out first. */
    @Override
    public void beforeRemoval() {
        unmerge();
    }

    public LoraConfig config() {
        return config;
    }

    public Parameter loraA() {
        return loraA.weight();
    }

    public Parameter loraB() {
        return loraB.weight();
    }

    public boolean merged() {
        return merged;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDList out = f.run(wrapped(), inputs);
        if (merged) {
            return out;
        }
        NDArray x = inputs.head();
        if (f.training() && config.loraDropout() > 0) {
            x = ai.djl.nn.norm.Dropout.dropout(x, (float) config.loraDropout(), true).head();
        }
        NDArray down = f.run(loraA, new NDList(x)).head();
        NDArray up = f.run(loraB, new NDList(down)).head();
        NDList result = new NDList(out);
        result.set(0, out.head().add(Scalars.mul(up, config.scaling())));
        return result;
    }

    /** Folds the update into the base weight (for inference at the base's speed). */
    void merge() {
        if (!merged) {
            applyDelta(1);
            merged = true;
        }
    }

    /** Takes the update back out of the base weight. */
    void unmerge() {
        if (merged) {
            applyDelta(-1);
            merged = false;
        }
    }

    /** weight += sign * (B A) * scaling, in the base weight's layout. */
    private void applyDelta(int sign) {
        NDArray weight = wrapped().weight().getArray();
        try (NDManager scratch = weight.getManager().newSubManager()) {
            NDArray update = loraB.weight().getArray().matMul(loraA.weight().getArray());
            update.attach(scratch); // later results join the first operand's manager: scratch
            NDArray scaled = Scalars.mul(update, sign * config.scaling()).stopGradient();
            weight.addi(wrapped().weightTransposed() ? scaled.transpose() : scaled);
        }
    }

    @Override
    public String toString() {
        return "LoraLinear(" + path() + ", r=" + config.r() + ")";
    }
}
