package dev.mhc.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.module.ModuleTree;
import dev.mhc.core.nn.Scalars;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A fine-tuning loop over the trainable parameters of a model (those with requiresGradient()):
 * parameter groups with their own learning rate, weight decay and schedule; AdamW; gradient
 * accumulation and global-norm clipping; an evaluation per epoch with early stopping on it;
 * checkpoints of the trainable parameters and optimiser state each epoch; and resume from one
 * giving what an uninterrupted run gives (the data order and dropout are seeded per epoch).
 */
public final class FineTuner implements AutoCloseable {

    private final Block model;
    private final Loss loss;
    private final TrainConfig config;
    private final NDManager manager;
    private final Map<String, Parameter> trainable = new LinkedHashMap<>();
    private final Map<String, ParamGroup> groupOf = new LinkedHashMap<>();
    private final List<ParamGroup> groups;
    private final long frozenScalars;
    private final AdamW optimizer;

    /** @param manager owns the optimiser state; usually the model's manager */
    public FineTuner(Block model, List<ParamGroup> groups, Loss loss, TrainConfig config, NDManager manager) {
        this.model = model;
        this.loss = loss;
        this.config = config;
        this.manager = manager;
        this.groups = List.copyOf(groups);
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        long frozen = 0;
        List<String> unassigned = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : ModuleTree.parameters(model).entrySet()) {
            Parameter p = e.getValue();
            if (seen.put(p, true) != null) {
                continue; // a tied weight, counted once
            }
            if (!p.requiresGradient()) {
                frozen += p.getShape().size();
                continue;
            }
            ParamGroup group = groups.stream().filter(g -> g.selects().test(e.getKey())).findFirst().orElse(null);
            if (group == null) {
                unassigned.add(e.getKey());
            } else {
                trainable.put(e.getKey(), p);
                groupOf.put(e.getKey(), group);
            }
        }
        if (!unassigned.isEmpty()) {
            throw new IllegalArgumentException(unassigned.size() + " trainable parameters belong to no group: "
                    + unassigned.subList(0, Math.min(10, unassigned.size()))
                    + "; add a group for them (ParamGroup.everything() last takes the rest) or freeze them");
        }
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("the model has no trainable parameters: everything is frozen");
        }
        this.frozenScalars = frozen;
        this.optimizer = new AdamW(manager);
    }

    /** @return trainable vs frozen counts per group, as a table */
    public String summary() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-16s %12s %8s %10s %8s%n",
                "group", "parameters", "tensors", "lr", "decay"));
        long total = 0;
        for (ParamGroup group : groups) {
            long scalars = 0;
            int tensors = 0;
            for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
                if (groupOf.get(e.getKey()) == group) {
                    scalars += e.getValue().getShape().size();
                    tensors++;
                }
            }
            total += scalars;
            out.append(String.format(Locale.ROOT, "%-16s %,12d %8d %10.2e %8.3f%n", group.name(), scalars, tensors,
                    group.learningRate(), group.weightDecay()));
        }
        out.append(String.format(Locale.ROOT, "%-16s %,12d%n%-16s %,12d%n", "trainable", total, "frozen", frozenScalars));
        long unused = Mhc.unusedParameters(model);
        if (unused > 0) {
            out.append(String.format(Locale.ROOT, "(%,d of the trainable are mHC parameters past a layer's history:"
                    + " they never receive a gradient)%n", unused));
        }
        return out.toString();
    }

    /** @return the trainable parameters by key, in tree order */
    public Map<String, Parameter> trainable() {
        return trainable;
    }

    /** @return the number of trainable scalars (a tied weight counted once) */
    public long trainableScalars() {
        return trainable.values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    public TrainingHistory fit(Dataset train, Evaluator evaluator) throws IOException {
        return run(train, evaluator, TrainingState.start());
    }

    /** Continues from a checkpoint directory that {@link #fit} wrote ({@code epoch-N}). */
    public TrainingHistory resume(Dataset train, Evaluator evaluator, Path checkpoint) throws IOException {
        TrainingState state = TrainingCheckpoint.read(checkpoint, trainable, optimizer);
        return run(train, evaluator, state);
    }

    private TrainingHistory run(Dataset train, Evaluator evaluator, TrainingState state) throws IOException {
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training data is empty");
        }
        zeroGradients();
        for (int epoch = state.nextEpoch(); epoch < config.epochs(); epoch++) {
            long start = System.nanoTime();
            double meanLoss = epoch(train, epoch);
            double seconds = (System.nanoTime() - start) / 1e9;
            double metric = evaluator == null ? -meanLoss : evaluator.evaluate(model);
            state = state.after(epoch, new TrainingHistory.Epoch(epoch, meanLoss, metric, seconds, train.size() / seconds),
                    trainable);
            if (config.checkpointDir() != null) {
                TrainingCheckpoint.write(config.checkpointDir().resolve("epoch-" + epoch), state, trainable, optimizer);
            }
            if (config.patience() > 0 && state.badEpochs() >= config.patience()) {
                state.restoreBest(trainable);
                return new TrainingHistory(state.epochs(), state.bestEpoch(), epoch < config.epochs() - 1);
            }
        }
        if (config.patience() > 0) {
            state.restoreBest(trainable);
        }
        return new TrainingHistory(state.epochs(), config.patience() > 0 ? state.bestEpoch() : config.epochs() - 1, false);
    }

    private double epoch(Dataset train, int epoch) {
        Engine engine = manager.getEngine();
        engine.setRandomSeed((int) (config.seed() + epoch));
        int[] order = permutation(train.size(), new Random(config.seed() * 31 + epoch));
        int batches = (int) ((order.length + (long) config.batchSize() - 1) / config.batchSize()); // no int overflow
        double lossSum = 0;
        long examples = 0;
        long startNanos = System.nanoTime();
        try (ProgressBar bar = progress(epoch, batches)) {
            for (int b = 0; b < batches; b++) {
                int from = (int) ((long) b * config.batchSize());
                int to = (int) Math.min(order.length, (long) from + config.batchSize());
                int[] indices = java.util.Arrays.copyOfRange(order, from, to);
                float value;
                try (NDManager step = manager.newSubManager()) {
                    Batch batch = train.batch(step, indices);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDList outputs = model.forward(new ParameterStore(step, false), batch.inputs(), true);
                        NDArray l = loss.compute(outputs, batch.labels());
                        value = l.getFloat();
                        if (!Float.isFinite(value)) {
                            throw new IllegalStateException(String.format(Locale.ROOT, "the loss is %s at epoch %d,"
                                    + " batch %d: training diverged (non-finite parameters: %s); lower the learning"
                                    + " rate or clip gradients", value, epoch, b, nonFinite()));
                        }
                        collector.backward(Scalars.div(l, config.accumulation()));
                    }
                }
                lossSum += value * indices.length;
                examples += indices.length;
                boolean last = b == batches - 1;
                if ((b + 1) % config.accumulation() == 0 || last) {
                    optimizerStep(epoch, b);
                }
                if (bar != null) {
                    bar.step();
                    double rate = examples / ((System.nanoTime() - startNanos) / 1e9);
                    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, %.1f ex/s", lossSum / examples, rate));
                }
            }
        }
        if (examples == 0) {
            throw new IllegalStateException("epoch " + epoch + " trained on no example (" + train.size()
                    + " examples, batch size " + config.batchSize() + "); nothing would be learned");
        }
        return lossSum / examples;
    }

    /** @return the keys of trainable parameters holding NaN or infinity, for the error message */
    private List<String> nonFinite() {
        return nonFinite(trainable, Parameter::getArray);
    }

    /** @return the first ten keys whose array (as {@code view} picks it) holds NaN or infinity */
    static List<String> nonFinite(Map<String, Parameter> parameters, Function<Parameter, NDArray> view) {
        List<String> keys = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            parameters.forEach((key, p) -> {
                NDArray a = view.apply(p);
                if (a.isNaN().any().getBoolean() || a.isInfinite().any().getBoolean()) {
                    keys.add(key);
                }
            });
        }
        return keys.size() > 10 ? keys.subList(0, 10) : keys;
    }

    /**
     * Clips the global gradient norm, applies AdamW per group, and zeroes the gradients; a
     * non-finite gradient stops training before any weight changes.
     */
    private void optimizerStep(int epoch, int batch) {
        try (NDScope scope = new NDScope()) { // closes the gradient handles and temporaries of this step
            step(epoch, batch);
        }
    }

    private void step(int epoch, int batch) {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        trainable.forEach((key, p) -> gradients.put(key, p.getArray().getGradient()));
        double maxNorm = config.maxGradNorm() > 0 ? config.maxGradNorm() : Double.MAX_VALUE;
        double norm = clipGlobalNorm(List.copyOf(gradients.values()), maxNorm); // also the non-finite check
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the gradient is %s at epoch %d, batch %d,"
                    + " though the loss is finite (non-finite gradients: %s); no weight was changed: lower the"
                    + " learning rate or look for an operation without a finite derivative (sqrt or log at 0)",
                    norm, epoch, batch, nonFinite(trainable, p -> p.getArray().getGradient())));
        }
        optimizer.beginStep();
        long step = optimizer.steps() - 1;
        for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
            ParamGroup group = groupOf.get(e.getKey());
            double lr = group.learningRate() * group.schedule().factor(step, epoch);
            optimizer.update(e.getKey(), e.getValue().getArray(), gradients.get(e.getKey()), lr, group.weightDecay());
        }
        zeroGradients();
    }

    /**
     * Sets every gradient to 0 by assignment: subtracting a gradient from itself would keep a NaN,
     * and a gradient buffer that was never written may hold anything.
     */
    private void zeroGradients() {
        try (NDScope scope = new NDScope()) {
            for (Parameter p : trainable.values()) {
                p.getArray().getGradient().set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
            }
        }
    }

    /**
     * Scales the gradients in place so that their global L2 norm is at most {@code maxNorm}.
     *
     * @return the norm before clipping
     */
    static double clipGlobalNorm(List<NDArray> gradients, double maxNorm) {
        double squares = 0;
        for (NDArray g : gradients) {
            squares += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(squares);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            gradients.forEach(g -> Scalars.muli(g, scale));
        }
        return norm;
    }

    private ProgressBar progress(int epoch, int batches) {
        if (!config.progress()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, config.epochs()))
                .setInitialMax(batches).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build();
    }

    static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
