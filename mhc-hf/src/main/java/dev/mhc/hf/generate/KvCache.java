package dev.mhc.hf.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.util.PairList;

/**
 * The keys and values of the positions already processed, per layer ([batch, kv heads, time,
 * head dim]), so that each decoding step computes only its new tokens. A layer with a sliding
 * window keeps only the last {@code window - 1} positions, all a later query may attend to.
 * It travels to the layers in the per-call parameters of {@code Block.forward} under {@link
 * #PARAM}; its arrays live in its own manager, across the steps' short-lived ones.
 */
public final class KvCache implements AutoCloseable {

    /** The key of the cache in a forward call's parameters. */
    public static final String PARAM = "kv_cache";

    private final NDManager manager;
    private int[] windows;
    private NDArray[] keys;
    private NDArray[] values;
    private long seen;

    /**
     * @param windows per layer: the sliding window, or 0 for a layer that attends to everything
     */
    public KvCache(NDManager parent, int[] windows) {
        this.manager = parent.newSubManager();
        this.windows = windows.clone();
        this.keys = new NDArray[windows.length];
        this.values = new NDArray[windows.length];
    }

    /** A cache for {@code layers} layers without sliding windows. */
    public KvCache(NDManager parent, int layers) {
        this(parent, new int[layers]);
    }

    /** @return the cache in a call's parameters, or {@code null} */
    public static KvCache from(PairList<String, Object> params) {
        return params == null ? null : (KvCache) params.get(PARAM);
    }

    /** @return parameters carrying this cache */
    public PairList<String, Object> asParams() {
        PairList<String, Object> params = new PairList<>();
        params.add(PARAM, this);
        return params;
    }

    /** @return the positions processed before the current step (the position offset) */
    public long seen() {
        return seen;
    }

    /** The model calls this once its step is done, with the step's length. */
    public void advance(long steps) {
        seen += steps;
    }

    /**
     * Appends this step's keys and values for {@code layer} and returns what the step attends
     * to: the kept past and the new positions.
     */
    public NDList update(int layer, NDArray newKeys, NDArray newValues) {
        ensureSlot(layer);
        NDArray k = keys[layer] == null ? newKeys : NDArrays.concat(new NDList(keys[layer], newKeys), 2);
        NDArray v = values[layer] == null ? newValues : NDArrays.concat(new NDList(values[layer], newValues), 2);
        store(layer, k, v);
        return new NDList(k, v);
    }

    /** @return the positions {@code layer} keeps (for the attention mask's key range) */
    public long kept(int layer) {
        return layer >= keys.length || keys[layer] == null ? 0 : keys[layer].getShape().get(2);
    }

    /** Slots past the model's layers (an injected block's own) keep everything, like global layers. */
    private void ensureSlot(int slot) {
        if (slot >= keys.length) {
            windows = java.util.Arrays.copyOf(windows, slot + 1);
            keys = java.util.Arrays.copyOf(keys, slot + 1);
            values = java.util.Arrays.copyOf(values, slot + 1);
        }
    }

    private void store(int layer, NDArray k, NDArray v) {
        long time = k.getShape().get(2);
        int window = windows[layer];
        if (window > 0 && time > window - 1) {
            NDIndex tail = new NDIndex(":, :, {}:, :", time - (window - 1));
            k = k.get(tail);
            v = v.get(tail);
        }
        // The arrays move into the cache's manager as they are (no copy on every step), out of
        // the attention block's scope, which would release them when the block returns.
        k.attach(manager);
        v.attach(manager);
        NDScope.unregister(k, v);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = k;
        values[layer] = v;
    }

    @Override
    public void close() {
        manager.close();
    }
}
