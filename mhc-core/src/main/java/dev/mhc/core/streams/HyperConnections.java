package dev.mhc.core.streams;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.Adapters;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.module.Selector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The facade of multi-stream hyper-connections: static or dynamic HC, or DeepSeek's mHC, on the
 * pre-norm layers of a model, function-preserving at the start.
 *
 * <pre>{@code
 * HyperConnections.builder().target("GPT2Block").streams(4).variant(Variant.MHC).inject(model);
 * HyperConnections.save(model, dir);  HyperConnections.load(freshModel, dir);  HyperConnections.remove(model);
 * }</pre>
 */
public final class HyperConnections {

    private HyperConnections() {}

    public static Builder builder() {
        return new Builder();
    }

    /** The kind behind this facade, for code that handles every kind alike. */
    public static AdapterKind<StreamsConfig, HyperConnectedLayer> kind() {
        return StreamsKind.INSTANCE;
    }

    /** @return the hyper-connected layers of the model, in tree order */
    public static List<HyperConnectedLayer> layers(Block model) {
        return Adapters.layers(model, StreamsKind.INSTANCE);
    }

    /** @return the connections' parameters by key ({@code transformer.h.0.streams_attn.res}), in tree order */
    public static Map<String, Parameter> parameters(Block model) {
        return Adapters.parameters(model, StreamsKind.INSTANCE);
    }

    /**
     * @return how many parameters injecting {@code config} on {@code target} would add, without
     *     injecting; 0 where the target selects no layer that exposes its residual branches
     */
    public static long parameterCount(Block model, Selector target, StreamsConfig config) {
        long count = 0;
        for (ModuleTree.Entry entry : ModuleTree.find(model, target)) {
            if (StreamsKind.INSTANCE.adapts(entry)) {
                count += StreamsKind.INSTANCE.parameterShapes(entry, config).values().stream()
                        .mapToLong(Shape::size).sum();
            }
        }
        return count;
    }

    /** Puts every wrapped layer back; afterwards the model computes exactly what it did before. */
    public static int remove(Block model) {
        return Adapters.remove(model, StreamsKind.INSTANCE);
    }

    /** Writes {@code streams_config.json} and {@code streams_weights.safetensors} into {@code dir} as one unit. */
    public static void save(Block model, Path dir) throws IOException {
        Adapters.save(model, StreamsKind.INSTANCE, dir);
    }

    /** Injects the saved connections into a model without them, matched by layer path. */
    public static List<HyperConnectedLayer> load(Block model, Path dir) throws IOException {
        return Adapters.load(model, StreamsKind.INSTANCE, dir);
    }

    /** The builder form: target, n, variant, Sinkhorn iterations. */
    public static final class Builder {
        private Selector target;
        private int streams = StreamsConfig.DEFAULT_STREAMS;
        private Variant variant = Variant.MHC;
        private int sinkhornIterations = StreamsConfig.DEFAULT_SINKHORN_ITERATIONS;

        private Builder() {}

        /** Targets blocks by simple class name, e.g. {@code "GPT2Block"}. */
        public Builder target(String className) {
            return target(Selector.byClassName(className));
        }

        /** Targets blocks whose whole dotted path matches {@code regex}. */
        public Builder targetPaths(String regex) {
            return target(Selector.byPathRegex(regex));
        }

        public Builder target(Selector selector) {
            this.target = Objects.requireNonNull(selector, "selector");
            return this;
        }

        /** n, the number of streams (4 by default). */
        public Builder streams(int streams) {
            this.streams = streams;
            return this;
        }

        /** MHC by default. */
        public Builder variant(Variant variant) {
            this.variant = variant;
            return this;
        }

        public Builder sinkhornIterations(int iterations) {
            this.sinkhornIterations = iterations;
            return this;
        }

        public StreamsConfig config() {
            return new StreamsConfig(streams, variant, sinkhornIterations);
        }

        /** Injects into {@code model}; @return the wrapped layers in tree order */
        public List<HyperConnectedLayer> inject(Block model) {
            if (target == null) {
                throw new IllegalStateException("no target set; call target(\"GPT2Block\") or another target method");
            }
            return Adapters.inject(model, StreamsKind.INSTANCE, target, config());
        }
    }
}
