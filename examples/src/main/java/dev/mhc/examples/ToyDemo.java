package dev.mhc.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.mhc.core.inject.InjectedMHC;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.MixingWeights;
import dev.mhc.viz.analytics.MixingAnalytics;
import dev.mhc.viz.report.Reading;
import dev.mhc.viz.report.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The first-run demo: inject mHC into a toy residual stack, show that epsilon 0 changes nothing,
 * then learn the mixing weights alone (base frozen) on a task that rewards long-range skips
 * (reproduce the stack's input at its output) and print how each layer's mix moved.
 */
public final class ToyDemo {

    private static final int LAYERS = 8;
    private static final int HIDDEN = 16;
    private static final int HISTORY = 4;
    private static final int STEPS = 300;

    private ToyDemo() {}

    public static void run(PrintStream out, Path reportDir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResidualMlpStack model = ResidualMlpStack.create(manager, LAYERS, HIDDEN, 42);
            manager.getEngine().setRandomSeed(7);
            NDArray x = manager.randomNormal(new ai.djl.ndarray.types.Shape(256, HIDDEN));
            ParameterStore inference = new ParameterStore(manager, false);
            NDArray plain = model.forward(inference, new NDList(x), false).head();

            Mhc.builder().target("ResidualBlock").maxHistory(HISTORY).epsilon(0).inject(model);
            NDArray epsilonZero = model.forward(inference, new NDList(x), false).head();
            out.printf(Locale.ROOT, "toy model: %d ResidualBlock layers, hidden %d%n", LAYERS, HIDDEN);
            out.printf(
                    Locale.ROOT,
                    "mHC with epsilon 0 reproduces the model: max abs diff %.2e%n",
                    plain.sub(epsilonZero).abs().max().getFloat());
            Mhc.remove(model);

            List<InjectedMHC> layers = Mhc.builder().target("ResidualBlock").maxHistory(HISTORY).inject(model);
            Collection<Parameter> mixing = Mhc.parameters(model).values();
            ModuleTree.parameters(model).values().stream()
                    .filter(p -> !mixing.contains(p))
                    .forEach(p -> p.freeze(true));
            out.printf(
                    Locale.ROOT,
                    "injected H=%d: %d mixing weights (%d per layer), base frozen%n%n",
                    HISTORY,
                    mixing.stream().mapToLong(p -> p.getArray().size()).sum(),
                    HISTORY);
            out.println("mixing coefficients at initialisation (offset 0 = the layer's own input):");
            printCoefficients(out, layers);

            MixingSnapshot initial = MixingWeights.extract(model, "initialisation");
            float before = loss(model, inference, x);
            train(model, manager, x, mixing);
            float after = loss(model, inference, x);
            MixingSnapshot learned = MixingWeights.extract(model, "after " + STEPS + " steps");
            out.printf(
                    Locale.ROOT,
                    "%nlearned the mixing weights for %d steps on \"reproduce the input\": mse %.4f -> %.4f%n",
                    STEPS,
                    before,
                    after);
            out.println("mixing coefficients after training:");
            printCoefficients(out, layers);
            Report.Files files = Report.write(List.of(initial, learned), reportDir);
            out.println();
            Reading.of(MixingAnalytics.analyse(learned)).forEach(sentence -> out.println("  " + sentence));
            out.println("report: " + files.html().toAbsolutePath());
        }
    }

    private static float loss(ResidualMlpStack model, ParameterStore ps, NDArray x) {
        return model.forward(ps, new NDList(x), false).head().sub(x).square().mean().getFloat();
    }

    private static void train(
            ResidualMlpStack model, NDManager manager, NDArray x, Collection<Parameter> mixing) {
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build();
        ParameterStore ps = new ParameterStore(manager, false);
        for (int step = 0; step < STEPS; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray input = x.duplicate();
                input.attach(scope);
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray out = model.forward(ps, new NDList(input), true).head();
                    collector.backward(out.sub(input).square().mean());
                }
                for (Parameter p : mixing) {
                    adam.update(p.getId(), p.getArray(), p.getArray().getGradient());
                }
            }
        }
    }

    private static void printCoefficients(PrintStream out, List<InjectedMHC> layers) {
        out.printf(Locale.ROOT, "  %-8s", "layer");
        for (int k = 0; k < HISTORY; k++) {
            out.printf(Locale.ROOT, "  offset %d", k);
        }
        out.printf(Locale.ROOT, "  long-range (offset>=2)%n");
        for (InjectedMHC layer : layers) {
            float[] c = layer.coefficients();
            out.printf(Locale.ROOT, "  %-8s", layer.path());
            float longRange = 0;
            for (int k = 0; k < HISTORY; k++) {
                out.print(k < c.length ? String.format(Locale.ROOT, "  %8.3f", c[k]) : "          ");
                longRange += k >= 2 && k < c.length ? c[k] : 0;
            }
            out.printf(Locale.ROOT, "  %8.3f%n", longRange);
        }
    }
}
