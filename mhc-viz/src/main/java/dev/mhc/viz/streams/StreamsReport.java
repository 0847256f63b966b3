package dev.mhc.viz.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mhc.core.io.AtomicFiles;
import dev.mhc.viz.report.ChartFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report on multi-stream connections: {@code streams.html} (a reading in plain words, the
 * residual matrices, the gain and homogenisation over depth, a table per branch), {@code
 * streams.json}, and the charts as PNG and SVG.
 */
public final class StreamsReport {

    private StreamsReport() {}

    /** @return the HTML file written */
    public static Path write(ResidualMatrices matrices, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        StreamsAnalysis analysis = StreamsAnalysis.of(matrices);
        Map<String, byte[]> charts = new LinkedHashMap<>();
        charts.put("residual-matrices", ChartFiles.write(StreamsCharts.matrices(matrices), outDir, "residual-matrices"));
        charts.put("over-depth", ChartFiles.write(StreamsCharts.overDepth(analysis), outDir, "over-depth"));
        Path html = outDir.resolve("streams.html");
        AtomicFiles.write(html, html(matrices, analysis, charts).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("label", matrices.label());
        json.put("settings", matrices.settings());
        json.put("branches", analysis.branches());
        json.put("matrices", matrices.branches().stream().map(ResidualMatrices.Branch::matrix).toList());
        AtomicFiles.write(outDir.resolve("streams.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
        return html;
    }

    /** What the figures say, in plain words; only what the matrices show. */
    static List<String> reading(ResidualMatrices matrices, StreamsAnalysis analysis) {
        List<String> lines = new ArrayList<>();
        StreamsAnalysis.Figures last = analysis.last();
        int branches = analysis.branches().size();
        boolean manifold = matrices.settings().variant().manifold();
        lines.add(String.format(Locale.ROOT, "Over its %d residual branches the residual path amplifies a signal at"
                + " most %.3g times (composite gain)%s.", branches, last.gain(), manifold
                ? ": doubly stochastic matrices cannot amplify, so this stays at 1 however deep the model"
                : last.gain() > 2 ? ": unconstrained hyper-connections let it grow with depth, which mHC prevents" : ""));
        lines.add(String.format(Locale.ROOT, "The streams are %.0f%% homogenised after the last branch (0%%: as"
                + " distinct as the identity keeps them; 100%%: every stream is the mean of all).",
                100 * last.homogenisation()));
        double diagonal = analysis.branches().stream().mapToDouble(StreamsAnalysis.Figures::diagonal).average()
                .orElse(0);
        lines.add(String.format(Locale.ROOT, "On average a stream keeps %.2f of itself at each branch (the mean"
                + " diagonal; 1 is the identity).", diagonal));
        if (manifold) {
            double worst = analysis.branches().stream().mapToDouble(StreamsAnalysis.Figures::sinkhornResidual).max()
                    .orElse(0);
            if (worst > 0) {
                lines.add(String.format(Locale.ROOT, "Plain Sinkhorn iterations left row sums off by up to %.1e; the"
                        + " final balancing step makes every H_res exactly doubly stochastic.", worst));
            }
        }
        if (matrices.settings().variant().dynamic()) {
            lines.add("These are the token-independent parts; the dynamic terms add to them token by token.");
        }
        return lines;
    }

    private static String html(ResidualMatrices matrices, StreamsAnalysis analysis, Map<String, byte[]> charts) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>Streams report</title>\n<style>body{font-family:sans-serif;margin:2em;")
                .append("max-width:1000px;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px")
                .append(" solid #ccc;padding:4px 8px;text-align:right}th{background:#eef}td:first-child{text-align:")
                .append("left}img{max-width:100%}</style>\n</head><body>\n<h1>Streams report: ")
                .append(escape(matrices.label())).append("</h1>\n<p>").append(matrices.settings().variant())
                .append(", n = ").append(matrices.settings().streams()).append(" streams</p>\n<h2>Reading</h2>\n<ul>\n");
        reading(matrices, analysis).forEach(line -> h.append("<li>").append(escape(line)).append("</li>\n"));
        h.append("</ul>\n<h2>Charts</h2>\n");
        charts.forEach((name, png) -> h.append("<figure><img alt=\"").append(name)
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\"></figure>\n"));
        h.append("<h2>Per branch</h2>\n<table>\n<tr><th>layer</th><th>branch</th><th>mean diagonal</th>")
                .append("<th>composite gain</th><th>homogenisation</th><th>Sinkhorn residual</th></tr>\n");
        for (StreamsAnalysis.Figures f : analysis.branches()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%.3f</td><td>%.4g</td><td>%.3f</td>"
                    + "<td>%.1e</td></tr>%n", escape(f.layer()), escape(f.branch()), f.diagonal(), f.gain(),
                    f.homogenisation(), f.sinkhornResidual()));
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
