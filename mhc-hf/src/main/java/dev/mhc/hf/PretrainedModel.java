package dev.mhc.hf;

import dev.mhc.hf.registry.Architecture;
import dev.mhc.hf.registry.ModelFamily;
import dev.mhc.hf.registry.ModelKind;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A model built from a checkpoint directory: its block (HF-named, ready for {@code
 * Mhc.injectMhc}), its config, what loading found, and the manager that owns its weights.
 */
public final class PretrainedModel implements AutoCloseable {

    private final String source;
    private final ModelFamily<?> family;
    private final Architecture<?> architecture;
    private final Object config;
    private final Block block;
    private final NDManager manager;
    private final LoadReport report;

    PretrainedModel(
            String source,
            ModelFamily<?> family,
            Architecture<?> architecture,
            Object config,
            Block block,
            NDManager manager,
            LoadReport report) {
        this.source = source;
        this.family = family;
        this.architecture = architecture;
        this.config = config;
        this.block = block;
        this.manager = manager;
        this.report = report;
    }

    /** @return where the model came from: a directory, an ONNX file, a resource */
    public String source() {
        return source;
    }

    public String modelType() {
        return family.modelType();
    }

    public ModelFamily<?> family() {
        return family;
    }

    public String architecture() {
        return architecture.name();
    }

    public ModelKind kind() {
        return architecture.kind();
    }

    public Block block() {
        return block;
    }

    public Object config() {
        return config;
    }

    /** @return the config as the family's record type */
    public <C> C config(Class<C> type) {
        return type.cast(config);
    }

    public NDManager manager() {
        return manager;
    }

    /**
     * @return the checkpoint keys loaded, and those missing or unexpected (non-empty only when not
     *     strict); the config.json keys this library does not know
     */
    public LoadReport report() {
        return report;
    }

    /** One inference call; the outputs belong to {@code inputs}' manager. */
    public NDList predict(NDList inputs) {
        // no inputs at all is the model's to refuse, naming what it takes
        ParameterStore ps = new ParameterStore(inputs.isEmpty() ? manager : inputs.head().getManager(), false);
        return block.forward(ps, inputs, false);
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return architecture.name() + " (" + family.modelType() + ") from " + source;
    }
}
