package dev.mhc.cli;

import dev.mhc.core.inject.MhcConfig;
import dev.mhc.core.inject.Mixing;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import dev.mhc.core.streams.HyperConnections;
import dev.mhc.core.streams.StreamsConfig;
import dev.mhc.core.streams.Variant;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mhc inspect}: what a model is made of and what a target would select. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's layer classes, what --target selects, and parameter counts.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "checkpoint directory, config-only directory, .onnx file, or minilm")
    String model;

    @Mixin LoadFlags load;

    @Option(names = "--target", description = "layer class to inject into (default: the family's layer)")
    String target;

    @Option(names = "--history", defaultValue = "" + MhcConfig.DEFAULT_HISTORY, description = "H, for the mixing parameter count (default ${DEFAULT-VALUE})")
    int history;

    @Option(names = "--streams", defaultValue = "" + StreamsConfig.DEFAULT_STREAMS, description = "n, for the stream parameter counts (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (history < MhcConfig.MIN_HISTORY) {
            throw new IllegalArgumentException("--history must be at least 2, got " + history);
        }
        StreamsConfig.of(streams, Variant.MHC); // refuses a bad --streams before anything loads
        try (PretrainedModel opened = Models.open(model, Models.Weights.STRUCTURE_ONLY, load.applyTo(LoadOptions.defaults()))) {
            String layerClass = target != null ? target : opened.family().layerClass();
            int matches = ModuleTree.select(opened.block(), Selector.byClassName(layerClass)).size();
            long parameters = ModuleTree.parameters(opened.block()).values().stream()
                    .mapToLong(p -> p.getShape().size()).sum();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model_type", opened.modelType());
            result.put("architecture", opened.architecture());
            result.put("layer_classes", ModuleTree.classCounts(opened.block()));
            result.put("target", layerClass);
            result.put("matches", matches);
            result.put("parameters", parameters);
            result.put("mixing_parameters", (long) matches * history);
            result.put("mixing_parameters_never_trained", Mixing.unusedInStack(MhcConfig.of(history), matches));
            Map<String, Long> streamParameters = new LinkedHashMap<>();
            for (Variant variant : Variant.values()) {
                long count = HyperConnections.parameterCount(opened.block(), Selector.byClassName(layerClass),
                        StreamsConfig.of(streams, variant));
                if (count > 0) {
                    streamParameters.put(variant.name().toLowerCase(Locale.ROOT), count);
                }
            }
            result.put("stream_parameters", streamParameters.isEmpty()
                    ? layerClass + " does not expose residual branches (post-norm or not a layer): history mode only"
                    : streamParameters);
            if (json) {
                System.out.println(Json.of(result));
            } else {
                System.out.println(opened);
                result.forEach((k, v) -> System.out.println("  " + k + ": " + v));
            }
        }
        return 0;
    }
}
