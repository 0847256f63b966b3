package dev.mhc.core.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One forward call of one {@link Module}: its parameter store, its mode and its per-call
 * parameters, so that a block's forward reads like the formula it computes:
 *
 * <pre>{@code
 * // HF: self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))
 * return new NDList(f.call("down_proj", act.apply(f.call("gate_proj", x)).mul(f.call("up_proj", x))));
 * }</pre>
 *
 * Children are reached by slot name at call time, so a replaced child is the one that runs.
 */
public final class Forward {

    private final Module module;
    private final ParameterStore store;
    private final boolean training;
    private final PairList<String, Object> params;

    Forward(Module module, ParameterStore store, boolean training, PairList<String, Object> params) {
        this.module = module;
        this.store = store;
        this.training = training;
        this.params = params;
    }

    /** @return the first output of child {@code name} run on {@code inputs} (most blocks have one) */
    public NDArray call(String name, NDArray... inputs) {
        return outputs(name, new NDList(inputs)).head();
    }

    /** @return every output of child {@code name} run on {@code inputs} */
    public NDList outputs(String name, NDArray... inputs) {
        return outputs(name, new NDList(inputs));
    }

    /** @return every output of child {@code name} run on {@code inputs} */
    public NDList outputs(String name, NDList inputs) {
        return run(module.child(name), inputs);
    }

    /** Runs a block that is not reached by a slot name (a wrapper's base, a list's element). */
    public NDList run(Block block, NDList inputs) {
        return block.forward(store, inputs, training, params);
    }

    /**
     * Runs one layer of a stack that passes only the hidden state on: its other outputs (attention
     * maps) are released at once, not when the stack returns, unless a hook kept them.
     *
     * @return the layer's first output
     */
    public NDArray runLayer(Block layer, NDList inputs) {
        NDList outputs = run(layer, inputs);
        NDArray hidden = outputs.head();
        for (int i = 1; i < outputs.size(); i++) {
            if (outputs.get(i) != hidden) {
                BlockScope.releaseIfOwned(outputs.get(i));
            }
        }
        return hidden;
    }

    /**
     * @return this call, reaching the children of {@code other} instead: for a wrapper that runs
     *     part of its base block's computation itself
     */
    public Forward inside(Module other) {
        return new Forward(other, store, training, params);
    }

    /** @return the value of one of the module's own parameters, on {@code like}'s device */
    public NDArray value(Parameter parameter, NDArray like) {
        NDArray value = store.getValue(parameter, like.getDevice(), training);
        NDScope.unregister(value); // a device copy the store caches must outlive this block's call
        return value;
    }

    /**
     * @return the parameter's value as an array of {@code like}'s manager, still linked to the
     *     parameter for autograd: an op's result joins the manager of its first operand, so
     *     computing on the parameter's own array first would pile results up in the model's manager
     */
    public NDArray localValue(Parameter parameter, NDArray like) {
        NDArray value = value(parameter, like);
        return like.getManager().zeros(value.getShape(), value.getDataType()).add(value);
    }

    /** @return whether this call trains (dropout on, gradients recorded) */
    public boolean training() {
        return training;
    }

    /** @return the per-call parameters (e.g. a KV cache), possibly {@code null} */
    public PairList<String, Object> params() {
        return params;
    }

    /** @return the parameter store of this call */
    public ParameterStore store() {
        return store;
    }
}
