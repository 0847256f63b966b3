package dev.mhc.core.streams;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterModule;
import dev.mhc.core.module.Forward;
import dev.mhc.core.module.Module;
import dev.mhc.core.module.ModuleTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pre-norm layer whose residual branches run on n streams. The first wrapped layer of a call
 * widens the hidden state into n copies; each layer's branches read from and write to the streams
 * through their {@link BranchConnection}s; every layer hands the model the mean of the streams as
 * its hidden state, so the model between layers, and after the last one, sees an ordinary hidden
 * state. The streams themselves pass from layer to layer in the call's scope, which is why the
 * wrapped layers must run once each, in tree order, and receive the hidden state the previous one
 * handed on.
 *
 * <p>The base layer runs through {@link ResidualBranches#forwardResidual}: its own forward hooks
 * do not run while it is wrapped.
 */
public final class HyperConnectedLayer extends AdapterModule {

    private static final String PREFIX = "streams_";

    private final int position;
    private final StreamsInjection injection;
    private final List<BranchConnection> connections = new ArrayList<>();

    HyperConnectedLayer(ResidualBranches base, String path, int position, StreamsInjection injection,
            List<BranchConnection> connections) {
        super(base, path);
        this.position = position;
        this.injection = injection;
        List<String> names = base.residualBranches();
        for (int i = 0; i < names.size(); i++) {
            this.connections.add(register(PREFIX + names.get(i), connections.get(i)));
        }
    }

    /** @return this layer's 1-based place among the injection's layers, in tree order */
    public int position() {
        return position;
    }

    public StreamsConfig config() {
        return injection.config;
    }

    StreamsInjection injection() {
        return injection;
    }

    /** @return per branch name, the matrix that carries the streams past it (see {@link StreamGain}) */
    public Map<String, double[][]> residualMatrices() {
        Map<String, double[][]> matrices = new LinkedHashMap<>();
        List<String> names = ((ResidualBranches) wrapped()).residualBranches();
        for (int i = 0; i < names.size(); i++) {
            matrices.put(names.get(i), connections.get(i).residualMatrix());
        }
        return matrices;
    }

    @Override
    public Map<String, Parameter> ownParameters() {
        Map<String, Parameter> own = new LinkedHashMap<>();
        for (String name : ownChildNames()) {
            ModuleTree.parameters(child(name)).forEach((key, p) -> own.put(name + "." + key, p));
        }
        return own;
    }

    @Override
    public void onInjected() {
        injection.scope.attach();
    }

    @Override
    public void beforeRemoval() {
        injection.scope.detach();
    }

    @Override
    protected NDList forwardModule(Forward f, NDList inputs) {
        StreamsInjection.Call call = injection.call(path());
        call.ran++;
        if (call.ran != position) {
            throw new IllegalStateException(String.format(Locale.ROOT, "hyper-connected layer \"%s\" is wrapped"
                    + " layer %d in tree order but ran as wrapped layer %d of this forward call: the streams pass"
                    + " from one wrapped layer to the next, so they must run once each, in tree order", path(),
                    position, call.ran));
        }
        NDArray x = inputs.head();
        NDArray[] streams = new NDArray[1];
        if (position == 1) {
            streams[0] = x.expandDims(-2).repeat(-2, injection.config.streams());
        } else if (x != call.handedOn) {
            throw new IllegalStateException("hyper-connected layer \"" + path() + "\" received a hidden state other"
                    + " than the one the wrapped layer before it handed on: the model changes the hidden state"
                    + " between layers, which the streams would not see; target layers that follow each other");
        } else {
            streams[0] = call.streams;
        }
        Module base = (Module) wrapped();
        NDList out = ((ResidualBranches) base).forwardResidual(f.inside(base), inputs, (branch, h, fn) -> {
            streams[0] = connections.get(branch).apply(f, streams[0], fn);
            return streams[0].mean(new int[] {-2});
        });
        call.streams = injection.scope.keep(streams[0]); // the next wrapped layer reads them
        call.handedOn = out.head();
        return out;
    }

    @Override
    public String toString() {
        return "HyperConnectedLayer(" + path() + ", " + injection.config.variant() + ", n=" + injection.config.streams()
                + ")";
    }
}
