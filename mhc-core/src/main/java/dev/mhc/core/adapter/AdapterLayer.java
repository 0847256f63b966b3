package dev.mhc.core.adapter;

import ai.djl.nn.Parameter;
import dev.mhc.core.module.Wrapper;
import java.util.Map;

/**
 * A wrapper one {@link AdapterKind} puts around a target block: it keeps the block untouched and
 * reachable ({@link #wrapped}), and owns the parameters the kind adds.
 */
public interface AdapterLayer extends Wrapper {

    /** @return the dotted path of the wrapped block, which is also this wrapper's path */
    String path();

    /**
     * @return the parameters this wrapper adds, by name relative to {@link #path} ({@code
     *     mhc_alpha}, {@code lora_A.weight}), in a stable order
     */
    Map<String, Parameter> ownParameters();

    /** Called once the wrapper is in the tree, e.g. to hook blocks around it. */
    default void onInjected() {}

    /** Called just before the wrapper is taken out of the tree; undoes {@link #onInjected}. */
    default void beforeRemoval() {}
}
