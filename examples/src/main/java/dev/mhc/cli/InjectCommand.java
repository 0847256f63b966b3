package dev.mhc.cli;

import dev.mhc.core.inject.Constraint;
import dev.mhc.core.inject.InjectedMHC;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.inject.MhcConfig;
import dev.mhc.core.streams.StreamsConfig;
import dev.mhc.core.streams.HyperConnectedLayer;
import dev.mhc.core.streams.HyperConnections;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.finetune.Connections;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mhc inject}: write an mhc (or streams) directory with freshly initialised connections. */
@Command(name = "inject", mixinStandardHelpOptions = true,
        description = "Inject connections into a model's layers and write their directory: history mixing"
                + " (mhc_config.json + weights) or hyper-connections on n streams (streams_config.json + weights).")
final class InjectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL") String model;

    @Mixin LoadFlags load;
    @Option(names = "--target", required = true, description = "layer class, e.g. BertLayer or GPT2Block") String target;
    @Option(names = "--mode", defaultValue = "history",
            description = "history (default), hc or mhc (n parallel streams; pre-norm layers only)") String mode;
    @Option(names = "--history", defaultValue = "" + MhcConfig.DEFAULT_HISTORY,
            description = "H, at least " + MhcConfig.MIN_HISTORY + ", for --mode history") int history;
    @Option(names = "--streams", defaultValue = "" + StreamsConfig.DEFAULT_STREAMS, description = "n, for --mode hc and mhc")
    int streams;
    @Option(names = "--static", description = "hc and mhc without their token-dependent parts") boolean staticOnly;
    @Option(names = "--constraint", defaultValue = "identity", description = "history mode: identity, simplex, none or matrix (a Sinkhorn-projected H x H mix of the slots)")
    String constraint;
    @Option(names = "--epsilon", defaultValue = "0.1", description = "history mode: history share at initialisation")
    double epsilon;
    @Option(names = "--detach", description = "history mode: detach history from the autograd graph") boolean detach;
    @Option(names = "--gate", description = "history mode: add a learnable gate per layer") boolean gate;
    @Option(names = "--out", required = true, description = "the directory to write") Path out;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        if (Connections.Mode.parse(mode) == Connections.Mode.HISTORY && history < MhcConfig.MIN_HISTORY) {
            throw new IllegalArgumentException("--history must be at least 2 (the layer's own input and one earlier"
                    + " layer's), got " + history);
        }
        Connections connections = Connections.of(Connections.Mode.parse(mode), target, history, streams, staticOnly);
        MhcConfig settings = null;
        if (connections.mode() == Connections.Mode.HISTORY) {
            Constraint parsed = Constraint.parse(constraint);
            settings = Mhc.builder().maxHistory(history).constraint(parsed).epsilon(epsilon).detachHistory(detach)
                    .gate(gate).config();
        }
        OutputDirectory.check(out, List.of(model));
        try (PretrainedModel opened = Models.open(model, Models.Weights.STRUCTURE_ONLY, load.applyTo(LoadOptions.defaults()))) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("out", out.toString());
            result.put("mode", mode);
            String summary;
            if (settings != null) {
                List<InjectedMHC> layers = Mhc.builder().target(target).maxHistory(history)
                        .constraint(settings.constraint()).epsilon(epsilon).detachHistory(detach).gate(gate)
                        .inject(opened.block());
                Mhc.save(opened.block(), out);
                long unused = Mhc.unusedParameters(opened.block());
                result.put("layers", layers.size());
                result.put("mixing_parameters", layers.size() * settings.parametersPerLayer());
                result.put("mixing_parameters_never_trained", unused);
                summary = "injected history mixing into " + layers.size() + " " + target + " layers (" + unused
                        + " of their mixing parameters sit past a layer's history and never train)";
            } else {
                List<HyperConnectedLayer> layers = HyperConnections.builder().target(target).streams(streams)
                        .variant(connections.variant()).inject(opened.block());
                HyperConnections.save(opened.block(), out);
                long parameters = HyperConnections.parameters(opened.block()).values().stream()
                        .mapToLong(p -> p.getShape().size()).sum();
                result.put("layers", layers.size());
                result.put("variant", connections.variant().toString());
                result.put("streams", streams);
                result.put("stream_parameters", parameters);
                summary = "injected " + connections.variant() + " on " + streams + " streams into " + layers.size() + " "
                        + target + " layers (" + parameters + " parameters)";
            }
            System.out.println(json ? Json.of(result) : summary + "; wrote " + out);
        }
        return 0;
    }
}
