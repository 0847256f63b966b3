package dev.mhc.hf.finetune;

import ai.djl.nn.Block;
import dev.mhc.core.inject.Constraint;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.inject.MhcConfig;
import dev.mhc.core.inject.SimplexInit;
import dev.mhc.core.streams.StreamsConfig;
import dev.mhc.core.streams.HyperConnections;
import dev.mhc.core.streams.Variant;
import java.util.Locale;
import java.util.Objects;

/**
 * Which connections a run injects into its target layers, as the command line names them: {@code
 * history} (the card's history mixing, H entries), {@code hc} (hyper-connections, n streams) or
 * {@code mhc} (DeepSeek's mHC, n streams); the stream modes are dynamic unless {@code staticOnly}.
 *
 * @param target the layer class, or {@code null} for none
 * @param epsilon history mode: the initial weight of the long-range entries
 * @param constraint history mode: how the mixing weights are constrained
 * @param gate history mode: whether a learned gate scales the mixing
 * @param detach history mode: whether gradients stop at the stored history
 */
public record Connections(Mode mode, String target, int history, int streams, boolean staticOnly, double epsilon,
        Constraint constraint, boolean gate, boolean detach) {

    /** Checks the numbers before anything loads. */
    public Connections {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(constraint, "constraint");
        if (target != null && mode == Mode.HISTORY) {
            new MhcConfig(history, constraint, epsilon, 1.0, SimplexInit.UNIFORM, detach, gate);
        } else if (target != null) {
            StreamsConfig.of(streams, Variant.MHC);
        }
    }

    /** The three modes. */
    public enum Mode {
        HISTORY,
        HC,
        MHC;

        /** @return the mode {@code name} names ({@code history}, {@code hc}, {@code mhc}) */
        public static Mode parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode must be history, hc or mhc, got \"" + name + "\"");
            }
        }
    }

    /** No connections. */
    public static Connections none() {
        return history(null, 4);
    }

    /** History mixing with H = {@code history} on {@code target} (none when {@code target} is null). */
    public static Connections history(String target, int history) {
        return of(Mode.HISTORY, target, history, StreamsConfig.DEFAULT_STREAMS, false);
    }

    /** {@code mode} with the history mode's defaults (epsilon 0.1, identity constraint, no gate, attached). */
    public static Connections of(Mode mode, String target, int history, int streams, boolean staticOnly) {
        return new Connections(mode, target, history, streams, staticOnly, MhcConfig.DEFAULT_EPSILON,
                Constraint.IDENTITY, false, false);
    }

    /** @return the stream variant of the hc and mhc modes */
    public Variant variant() {
        return switch (mode) {
            case HC -> staticOnly ? Variant.STATIC_HC : Variant.DYNAMIC_HC;
            case MHC -> staticOnly ? Variant.STATIC_MHC : Variant.MHC;
            case HISTORY -> throw new IllegalStateException("history mixing has no stream variant");
        };
    }

    /** Injects into {@code model}; nothing without a target. */
    public void inject(Block model) {
        if (target == null) {
            return;
        }
        if (mode == Mode.HISTORY) {
            Mhc.builder().target(target).maxHistory(history).epsilon(epsilon).constraint(constraint).gate(gate)
                    .detachHistory(detach).inject(model);
        } else {
            HyperConnections.builder().target(target).streams(streams).variant(variant()).inject(model);
        }
    }
}
