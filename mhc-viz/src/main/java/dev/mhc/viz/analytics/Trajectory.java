package dev.mhc.viz.analytics;

import dev.mhc.viz.MixingSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures across snapshots of one model (one per checkpoint or epoch), to see how each moved.
 *
 * @param labels the snapshots' labels, in order
 * @param analyses their analyses, in the same order
 */
public record Trajectory(List<String> labels, List<Analysis> analyses) {

    public static Trajectory of(List<MixingSnapshot> snapshots) {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("a trajectory needs at least one snapshot");
        }
        List<String> paths = snapshots.get(0).layers().stream().map(l -> l.path()).toList();
        List<String> labels = new ArrayList<>();
        List<Analysis> analyses = new ArrayList<>();
        for (MixingSnapshot snapshot : snapshots) {
            List<String> own = snapshot.layers().stream().map(l -> l.path()).toList();
            if (!own.equals(paths)) {
                throw new IllegalArgumentException("snapshot \"" + snapshot.label() + "\" has layers " + own
                        + ", the first has " + paths + ": compare checkpoints of one injection");
            }
            labels.add(snapshot.label());
            analyses.add(MixingAnalytics.analyse(snapshot));
        }
        return new Trajectory(List.copyOf(labels), List.copyOf(analyses));
    }

    /** @return each layer's long-range reliance at the last snapshot minus at the first */
    public double[] longRangeMovement() {
        List<LayerFigures> first = analyses.get(0).layers();
        List<LayerFigures> last = analyses.get(analyses.size() - 1).layers();
        double[] moved = new double[first.size()];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = last.get(i).longRange() - first.get(i).longRange();
        }
        return moved;
    }
}
