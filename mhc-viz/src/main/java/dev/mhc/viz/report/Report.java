package dev.mhc.viz.report;

import dev.mhc.core.io.AtomicFiles;
import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.analytics.Analysis;
import dev.mhc.viz.analytics.MixingAnalytics;
import dev.mhc.viz.analytics.Trajectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the mixing report of one or more snapshots of a model (the last is the one described;
 * with several, a chart shows how long-range reliance moved): {@code report.html}, the charts as
 * PNG and SVG, {@code mixing.csv} and {@code mixing.json}.
 */
public final class Report {

    /** The files written. */
    public record Files(Path html, Path csv, Path json, List<Path> charts) {}

    /** The most layers a report draws (one heatmap row and a layer x layer similarity each). */
    public static final int MAX_LAYERS = 4096;

    private Report() {}

    public static Files write(List<MixingSnapshot> snapshots, Path outDir) throws IOException {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("nothing to report: no snapshots");
        }
        for (MixingSnapshot snapshot : snapshots) {
            if (snapshot.layers().size() > MAX_LAYERS) {
                throw new IllegalArgumentException(snapshot.label() + " has " + snapshot.layers().size()
                        + " mixing layers; a report draws at most " + MAX_LAYERS + " (real models have a few hundred)");
            }
        }
        java.nio.file.Files.createDirectories(outDir);
        Trajectory trajectory = Trajectory.of(snapshots);
        MixingSnapshot last = snapshots.get(snapshots.size() - 1);
        Analysis analysis = trajectory.analyses().get(trajectory.analyses().size() - 1);

        Map<String, byte[]> charts = new LinkedHashMap<>();
        charts.put("heatmap", ChartFiles.write(Charts.heatmap(last), outDir, "heatmap"));
        charts.put("long-range", ChartFiles.write(Charts.longRange(analysis), outDir, "long-range"));
        charts.put("drift", ChartFiles.write(Charts.drift(analysis), outDir, "drift"));
        if (snapshots.size() > 1) {
            charts.put("trajectory", ChartFiles.write(Charts.trajectory(trajectory), outDir, "trajectory"));
        }
        Path html = outDir.resolve("report.html");
        Path csv = outDir.resolve("mixing.csv");
        Path json = outDir.resolve("mixing.json");
        AtomicFiles.write(html, HtmlReport.render(last, analysis, charts, Reading.of(analysis))
                .getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(csv, Exports.csv(last, analysis).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(json, Exports.json(snapshots, trajectory.analyses()));
        List<Path> chartFiles = charts.keySet().stream()
                .flatMap(name -> java.util.stream.Stream.of(outDir.resolve(name + ".png"), outDir.resolve(name + ".svg")))
                .toList();
        return new Files(html, csv, json, chartFiles);
    }

    public static Files write(MixingSnapshot snapshot, Path outDir) throws IOException {
        return write(List.of(snapshot), outDir);
    }

}
