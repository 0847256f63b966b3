package dev.mhc.hf.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.nn.LayerNorm;

/**
 * Hugging Face's {@code ViTModel}: {@code embeddings}, {@code encoder.layer.N} of {@link
 * ViTLayer}, the final {@code layernorm} and an optional {@code pooler}.
 *
 * <p>Inputs: [pixel_values float [batch, channels, size, size], already normalised (see {@link
 * ViTImageProcessor})]. Outputs: [last_hidden_state, pooler_output (with a pooler)].
 */
public class ViTModel extends Module {

    private final ViTConfig config;
    private final boolean pooling;

    public ViTModel(ViTConfig config) {
        this(config, true);
    }

    public ViTModel(ViTConfig config, boolean addPoolingLayer) {
        this.config = config;
        this.pooling = addPoolingLayer;
        register("embeddings", new ViTEmbeddings(config));
        register("encoder", new ViTEncoder(config));
        register("layernorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
        if (addPoolingLayer) {
            register("pooler", new ViTPooler(config));
        }
    }

    public ViTConfig config() {
        return config;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray hidden = f.call("layernorm", f.call("encoder", f.call("embeddings", inputs.head())));
        if (!pooling) {
            return new NDList(hidden);
        }
        return new NDList(hidden, f.call("pooler", hidden));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape hidden = new Shape(inputShapes[0].get(0), config.numPatches() + 1, config.hiddenSize());
        return pooling
                ? new Shape[] {hidden, new Shape(inputShapes[0].get(0), config.poolerOutputSize())}
                : new Shape[] {hidden};
    }
}
