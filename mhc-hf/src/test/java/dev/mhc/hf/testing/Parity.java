package dev.mhc.hf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/** Compares a model's outputs and recorded layers with a fixture's golden tensors. */
public final class Parity {

    private Parity() {}

    /** @return the largest difference seen, after asserting each is within {@code tol} */
    public static float check(Golden golden, NDManager manager, NDList out, LayerRecorder recorder, float tol) {
        float worst = 0;
        worst = Math.max(worst, within(golden.output("last_hidden_state", manager), out.get(0), "last_hidden_state", tol));
        worst = Math.max(worst, within(golden.output("pooler_output", manager), out.get(1), "pooler_output", tol));
        worst = Math.max(worst, stacked(golden.output("hidden_states", manager), recorder.hiddenStates, "hidden_states", tol));
        worst = Math.max(worst, stacked(golden.output("attentions", manager), recorder.attentions, "attentions", tol));
        return worst;
    }

    private static float stacked(NDArray expected, List<NDArray> actual, String name, float tol) {
        assertEquals(expected.getShape().get(0), actual.size(), name + " count");
        float worst = 0;
        for (int i = 0; i < actual.size(); i++) {
            worst = Math.max(worst, within(expected.get(new NDIndex("{}", i)), actual.get(i), name + "[" + i + "]", tol));
        }
        return worst;
    }

    private static float within(NDArray expected, NDArray actual, String name, float tol) {
        float diff = Golden.maxAbsDiff(expected, actual);
        assertTrue(diff <= tol, name + " differs from HF by " + diff);
        return diff;
    }
}
