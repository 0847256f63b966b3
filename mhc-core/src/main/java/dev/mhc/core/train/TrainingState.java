package dev.mhc.core.train;

import ai.djl.nn.Parameter;
import dev.mhc.core.nn.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where training stands: epochs done, their records, and the best evaluation so far. */
final class TrainingState {

    private int nextEpoch;
    private final List<TrainingHistory.Epoch> epochs;
    private double bestMetric;
    private int bestEpoch;
    private int badEpochs;
    private Map<String, float[]> bestParameters;

    TrainingState(int nextEpoch, List<TrainingHistory.Epoch> epochs, double bestMetric, int bestEpoch, int badEpochs,
            Map<String, float[]> bestParameters) {
        this.nextEpoch = nextEpoch;
        this.epochs = new ArrayList<>(epochs);
        this.bestMetric = bestMetric;
        this.bestEpoch = bestEpoch;
        this.badEpochs = badEpochs;
        this.bestParameters = bestParameters;
    }

    static TrainingState start() {
        return new TrainingState(0, List.of(), Double.NEGATIVE_INFINITY, -1, 0, null);
    }

    /** Records an epoch; a better metric becomes the best, with a copy of the parameters. */
    TrainingState after(int epoch, TrainingHistory.Epoch record, Map<String, Parameter> trainable) {
        nextEpoch = epoch + 1;
        epochs.add(record);
        if (record.metric() > bestMetric) {
            bestMetric = record.metric();
            bestEpoch = epoch;
            badEpochs = 0;
            bestParameters = snapshot(trainable);
        } else {
            badEpochs++;
        }
        return this;
    }

    void restoreBest(Map<String, Parameter> trainable) {
        if (bestParameters != null) {
            bestParameters.forEach((key, values) -> Weights.assign(trainable.get(key).getArray(), values));
        }
    }

    static Map<String, float[]> snapshot(Map<String, Parameter> trainable) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        trainable.forEach((key, p) -> copy.put(key, p.getArray().toFloatArray()));
        return copy;
    }

    int nextEpoch() {
        return nextEpoch;
    }

    List<TrainingHistory.Epoch> epochs() {
        return List.copyOf(epochs);
    }

    double bestMetric() {
        return bestMetric;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    int badEpochs() {
        return badEpochs;
    }

    Map<String, float[]> bestParameters() {
        return bestParameters;
    }
}
