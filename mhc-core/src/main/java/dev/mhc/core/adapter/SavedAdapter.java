package dev.mhc.core.adapter;

import dev.mhc.core.module.Selector;
import java.util.List;

/**
 * What an adapter directory's config file says, as the {@link Adapters} lifecycle needs it.
 *
 * @param settings the kind's settings
 * @param target the selector the save was made with; on load it must select exactly the saved
 *     layers in the model
 * @param layers the wrapped layers as recorded, or empty where the format records none (PEFT's:
 *     its layers are known from the weight keys)
 */
public record SavedAdapter<C>(C settings, Selector target, List<Layer> layers) {

    /** A recorded layer: its path, and the simple class name of the block it wrapped. */
    public record Layer(String path, String className) {}

    public SavedAdapter {
        layers = List.copyOf(layers);
    }
}
