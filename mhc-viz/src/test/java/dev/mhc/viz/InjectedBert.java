package dev.mhc.viz;

import ai.djl.ndarray.NDManager;
import dev.mhc.core.inject.InjectedMHC;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.nn.Weights;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.bert.BertModel;
import java.util.List;

/** A small random BERT with mHC injected and weights set as if learned (deeper layers lean back). */
public final class InjectedBert {

    private InjectedBert() {}

    public static BertModel create(NDManager manager, int layers) {
        BertConfig config = new BertConfig(100, 16, layers, 2, 32, null, null, null, 16, null, null, null, null,
                null, null);
        BertModel model = new BertModel(config);
        Weights.initialize(model, manager);
        List<InjectedMHC> injected = Mhc.builder().target("BertLayer").maxHistory(4).inject(model);
        for (int i = 0; i < injected.size(); i++) {
            float lean = i * 0.8f;
            injected.get(i).alpha().getArray().set(new float[] {2f, 0.5f, lean, lean});
        }
        return model;
    }
}
