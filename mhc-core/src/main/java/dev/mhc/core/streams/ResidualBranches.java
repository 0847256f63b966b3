package dev.mhc.core.streams;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import dev.mhc.core.module.Forward;
import java.util.List;

/**
 * A pre-norm layer, {@code x + F_1(x)} then {@code h + F_2(h)}, that lets its residual connections
 * be rerouted: what multi-stream hyper-connections need of a layer. Its ordinary forward is
 * {@code forwardResidual(f, inputs, Residual.PLAIN)}.
 */
public interface ResidualBranches extends Block {

    /** @return C, the width of the hidden state the branches read and write */
    long hiddenSize();

    /** @return the branches' names in the order they run, e.g. {@code ["attn", "mlp"]} */
    List<String> residualBranches();

    /**
     * Runs the layer with every residual add made by {@code residual}; every other input and
     * output is the layer's own.
     *
     * @param f this layer's forward call (see {@link Forward#inside})
     */
    NDList forwardResidual(Forward f, NDList inputs, Residual residual);
}
