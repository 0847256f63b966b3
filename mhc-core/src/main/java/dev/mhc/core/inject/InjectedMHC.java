package dev.mhc.core.inject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterModule;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Weights;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A layer wrapped with history mixing: it feeds the layer the mix of its hidden-state input with
 * the raw inputs of the wrapped layers that ran before it in this forward call (see {@link
 * Mixing}). Every other input and every output pass through untouched. The base layer is kept
 * as it was and reported at the wrapper's path, so its parameter keys do not change; the
 * wrapper's own parameters sit beside them as {@code <path>.mhc_alpha} (and {@code mhc_gate}).
 */
public final class InjectedMHC extends AdapterModule {

    /** Name of the H mixing weights. */
    public static final String ALPHA = "mhc_alpha";
    /** Name of the optional gate scalar. */
    public static final String GATE = "mhc_gate";

    private final Injection injection;
    private final int position;
    private final Parameter alpha;
    private final Parameter gate;

    InjectedMHC(Block base, String path, int position, Injection injection, NDManager manager) {
        super(base, path);
        this.injection = injection;
        this.position = position;
        MhcConfig config = injection.config;
        int h = config.maxHistory();
        alpha = newParameter(ALPHA, config.constraint() == Constraint.MATRIX
                ? manager.create(initialWeights(), new Shape(h, h))
                : manager.create(initialWeights()));
        gate = config.gate() ? newParameter(GATE, manager.create(new float[1])) : null;
    }

    private Parameter newParameter(String name, NDArray value) {
        Parameter parameter =
                addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build());
        parameter.setArray(value);
        parameter.freeze(false); // trainable even when the base model is frozen
        return parameter;
    }

    /** @return this layer's 1-based place among the injection's layers, in tree order */
    public int position() {
        return position;
    }

    public MhcConfig config() {
        return injection.config;
    }

    /** @return the entries this layer mixes when the layers run in tree order: min(position, H) */
    public int available() {
        return Mixing.available(position, injection.config.maxHistory());
    }

    /** @return how many of the H weights can ever receive a gradient (see {@link Mixing#usedWeights}) */
    public int usedWeights() {
        return Mixing.usedWeights(injection.config, available());
    }

    /** @return this layer's parameters (weights and gate) that can never receive a gradient */
    public int unusedParameters() {
        return Mixing.unusedInLayer(injection.config, available());
    }

    /** @return the mixing weights: H, or H x H in the MATRIX mode */
    public Parameter alpha() {
        return alpha;
    }

    /** @return the gate scalar, or {@code null} without a gate */
    public Parameter gate() {
        return gate;
    }

    /** @return the weights this layer was initialised with (H, or H x H row-major) */
    public float[] initialWeights() {
        return Mixing.initialWeights(injection.config, available());
    }

    /** @return the current coefficients over offsets 0..available()-1 */
    public float[] coefficients() {
        return Mixing.coefficients(alpha.getArray().toFloatArray(), available(), injection.config);
    }

    /** Overwrites the weights (and gate). */
    void setWeights(float[] weights, Float gateValue) {
        Weights.assign(alpha.getArray(), weights);
        if (gate != null && gateValue != null) {
            Weights.assign(gate.getArray(), new float[] {gateValue});
        }
    }

    @Override
    public Map<String, Parameter> ownParameters() {
        Map<String, Parameter> own = new LinkedHashMap<>();
        own.put(ALPHA, alpha);
        if (gate != null) {
            own.put(GATE, gate);
        }
        return own;
    }

    @Override
    public void onInjected() {
        injection.layerInjected();
    }

    @Override
    public void beforeRemoval() {
        injection.layerRemoved();
    }

    Injection injection() {
        return injection;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        HistoryBuffer history = injection.history(path());
        NDArray x = inputs.head();
        history.push(x, !f.training());
        if (history.pushed() != position) {
            throw new IllegalStateException(String.format(Locale.ROOT, "mHC layer \"%s\" is wrapped layer %d"
                    + " in tree order but ran as wrapped layer %d of this forward call: history mixing assumes the"
                    + " wrapped layers run once each, in tree order (its initial weights and coefficients() count"
                    + " on it); this model reorders, skips or repeats them, so target layers that run in order",
                    path(), position, history.pushed()));
        }
        int n = history.size();
        if (n > 1 || !Mixing.singleEntryIsIdentity(injection.config)) {
            NDList mixedInputs = new NDList(inputs);
            try {
                mixedInputs.set(0, f.training() ? mix(f, history, n) : contract(f, history, n));
            } catch (IllegalStateException released) {
                if (!String.valueOf(released.getMessage()).contains("released")) {
                    throw released;
                }
                throw new IllegalStateException("mHC layer \"" + path() + "\" (" + ModuleTree.className(wrapped())
                        + ") mixes the inputs of earlier wrapped blocks, but the blocks around them released those"
                        + " inputs when they returned: target the model's layers (the repeated blocks of its layer"
                        + " list, such as BertLayer), whose inputs live on between them", released);
            }
            inputs = mixedInputs;
        }
        return f.run(wrapped(), inputs);
    }

    /** Inference: the coefficients as numbers, the gate folded in, the mix one contraction. */
    private NDArray contract(Forward f, HistoryBuffer history, int n) {
        NDArray x = history.get(0);
        Float gateValue = gate == null ? null : f.value(gate, x).toFloatArray()[0];
        return history.contract(Mixing.effectiveCoefficients(f.value(alpha, x).toFloatArray(), gateValue, n,
                injection.config));
    }

    /** Training: differentiable in the weights, the gate and every entry. */
    private NDArray mix(Forward f, HistoryBuffer history, int n) {
        NDArray x = history.get(0);
        NDArray coefficients =
                Mixing.coefficients(f.localValue(alpha, x), n, injection.config);
        NDArray mixed = x.mul(coefficients.get(0));
        for (int k = 1; k < n; k++) {
            mixed = mixed.add(history.get(k).mul(coefficients.get(k)));
        }
        if (gate != null) {
            NDArray g = f.localValue(gate, x).tanh();
            mixed = x.add(mixed.sub(x).mul(g));
        }
        return mixed;
    }

    @Override
    public String toString() {
        return "InjectedMHC(" + path() + ", " + ModuleTree.className(wrapped()) + ")";
    }
}
