package dev.mhc.hf.unpad;

import ai.djl.nn.Block;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import java.util.List;
import java.util.Set;

/**
 * The post-init patch {@code ("bert", "unpad")}: wraps every {@code BertEncoder} of a model in an
 * {@link UnpaddedEncoder}. Outputs on real tokens are unchanged; at padding they are zeros.
 */
public final class UnpadPatch {

    public static final String NAME = "unpad";
    public static final Set<String> OPTIONS = Set.of();

    private UnpadPatch() {}

    /** Applies the patch to {@code model}; refuses a model without a BERT encoder. */
    public static void apply(Block model) {
        List<ModuleTree.Entry> encoders = ModuleTree.find(model, Selector.byClassName("BertEncoder"));
        if (encoders.isEmpty()) {
            throw new IllegalArgumentException("the unpad patch needs a BertEncoder; the model has none");
        }
        for (ModuleTree.Entry encoder : encoders) {
            if (!(encoder.parent() instanceof UnpaddedEncoder)) {
                ModuleTree.replace(encoder, new UnpaddedEncoder(encoder.block()));
            }
        }
    }
}
