package dev.mhc.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleList;
import dev.mhc.core.nn.Linear;
import dev.mhc.core.nn.Weights;
import dev.mhc.core.streams.Residual;
import dev.mhc.core.streams.ResidualBranches;
import java.util.List;

/** layer.0..n-1, each x + attn(x) then h + mlp(h) with one Linear per branch: a pre-norm stack in small. */
public final class PreNormStack extends Module {

    public static final int HIDDEN = 8;

    private final ModuleList layers;

    public PreNormStack(int count) {
        layers = register("layer", new ModuleList());
        for (int i = 0; i < count; i++) {
            layers.add(new Layer());
        }
    }

    public static PreNormStack initialised(int count, NDManager manager) {
        PreNormStack stack = new PreNormStack(count);
        manager.getEngine().setRandomSeed(21);
        Weights.initialize(stack, manager);
        return stack;
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        NDArray x = inputs.head();
        for (Block layer : layers.blocks()) {
            x = f.run(layer, new NDList(x)).head();
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /** The layer: two residual branches. */
    public static final class Layer extends Module implements ResidualBranches {

        Layer() {
            register("attn", new Linear(HIDDEN, HIDDEN));
            register("mlp", new Linear(HIDDEN, HIDDEN));
        }

        @Override
        public long hiddenSize() {
            return HIDDEN;
        }

        @Override
        public List<String> residualBranches() {
            return List.of("attn", "mlp");
        }

        @Override
        protected NDList forwardModule(Forward f, NDList inputs) {
            return forwardResidual(f, inputs, Residual.PLAIN);
        }

        @Override
        public NDList forwardResidual(Forward f, NDList inputs, Residual residual) {
            NDArray h = residual.add(0, inputs.head(), x -> f.call("attn", x).tanh());
            return new NDList(residual.add(1, h, x -> f.call("mlp", x).tanh()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
