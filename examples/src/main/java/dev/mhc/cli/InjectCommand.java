package dev.mhc.cli;

import dev.mhc.core.inject.Constraint;
import dev.mhc.core.inject.InjectedMHC;
import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mhc inject}: write an mhc directory with freshly initialised mixing weights. */
@Command(name = "inject", mixinStandardHelpOptions = true,
        description = "Inject mHC into a model's layers and write the mhc directory (mhc_config.json + weights).")
final class InjectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL") String model;
    @Option(names = "--target", required = true, description = "layer class, e.g. BertLayer") String target;
    @Option(names = "--history", required = true, description = "H, at least 2") int history;
    @Option(names = "--constraint", defaultValue = "identity", description = "identity, simplex or none") String constraint;
    @Option(names = "--epsilon", defaultValue = "0.1", description = "history share at initialisation") double epsilon;
    @Option(names = "--detach", description = "detach history from the autograd graph") boolean detach;
    @Option(names = "--gate", description = "add a learnable gate per layer") boolean gate;
    @Option(names = "--out", required = true, description = "the mhc directory to write") Path out;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        Constraint parsed;
        try {
            parsed = Constraint.valueOf(constraint.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--constraint must be identity, simplex or none, got " + constraint);
        }
        try (PretrainedModel opened = Models.open(model, Models.Weights.STRUCTURE_ONLY, LoadOptions.defaults())) {
            List<InjectedMHC> layers = Mhc.builder().target(target).maxHistory(history).constraint(parsed)
                    .epsilon(epsilon).detachHistory(detach).gate(gate).inject(opened.block());
            Mhc.save(opened.block(), out);
            if (json) {
                System.out.println(Json.of(Map.of("out", out.toString(), "layers", layers.size(),
                        "mixing_parameters", layers.size() * layers.get(0).config().parametersPerLayer(),
                        "mixing_parameters_never_trained", Mhc.unusedParameters(opened.block()))));
            } else {
                System.out.println("injected " + layers.size() + " " + target + " layers (" + Mhc.unusedParameters(
                        opened.block()) + " of their mixing parameters sit past a layer's history and never train);"
                        + " wrote " + out);
            }
        }
        return 0;
    }
}
