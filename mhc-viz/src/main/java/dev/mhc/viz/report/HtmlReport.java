package dev.mhc.viz.report;

import dev.mhc.core.inject.MhcConfig;
import dev.mhc.viz.LayerMixing;
import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.analytics.Analysis;
import dev.mhc.viz.analytics.LayerFigures;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page: charts embedded as data URIs, the settings, the reading in plain
 * words and the figures as tables. On load it counts the images that decoded into the page
 * title, so a headless browser can check the charts rendered.
 */
final class HtmlReport {

    private HtmlReport() {}

    static String render(MixingSnapshot snapshot, Analysis analysis, Map<String, byte[]> charts, List<String> reading) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>mHC mixing report</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1000px;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}th{background:#eef}td:first-child{text-align:left}img{max-width:100%}</style>\n")
                .append("<script>window.addEventListener('load',function(){var i=document.images,n=0;")
                .append("for(var k=0;k<i.length;k++){if(i[k].complete&&i[k].naturalWidth>0)n++;}")
                .append("document.title='mHC mixing report ['+n+'/'+i.length+' charts loaded]';});</script>\n")
                .append("</head><body>\n<h1>mHC mixing report: ").append(escape(snapshot.label())).append("</h1>\n");
        h.append("<h2>Reading</h2>\n<ul>\n");
        reading.forEach(s -> h.append("<li>").append(escape(s)).append("</li>\n"));
        h.append("</ul>\n<h2>Settings</h2>\n<table>\n");
        settings(snapshot.settings(), snapshot.layers().size()).forEach((k, v) ->
                h.append("<tr><td>").append(escape(k)).append("</td><td>").append(escape(v)).append("</td></tr>\n"));
        h.append("</table>\n<h2>Charts</h2>\n");
        charts.forEach((name, png) -> h.append("<figure><img alt=\"").append(escape(name))
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\"></figure>\n"));
        h.append("<h2>Per layer</h2>\n<table>\n<tr><th>layer</th><th>class</th><th>entropy</th><th>depth</th>")
                .append("<th>long-range</th><th>drift L1</th><th>drift KL</th>");
        for (int k = 0; k < snapshot.maxHistory(); k++) {
            h.append("<th>c").append(k).append("</th>");
        }
        h.append("</tr>\n");
        for (int i = 0; i < snapshot.layers().size(); i++) {
            LayerMixing layer = snapshot.layers().get(i);
            LayerFigures f = analysis.layers().get(i);
            h.append("<tr><td>").append(escape(layer.path())).append("</td><td>").append(escape(layer.className()))
                    .append(String.format(Locale.ROOT, "</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f",
                            plus(f.entropy()), plus(f.depth()), plus(f.longRange()), plus(f.driftL1()), plus(f.driftKl())));
            for (float c : layer.coefficients()) {
                h.append(String.format(Locale.ROOT, "</td><td>%.3f", c));
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n<p>Singular values of the layers x offsets share matrix: ");
        for (double s : analysis.singularValues()) {
            h.append(String.format(Locale.ROOT, "%.3f ", s));
        }
        h.append("</p>\n<p>Figures: entropy = -sum p ln p (nats); depth = expected offset; long-range = mass at")
                .append(" offsets &ge; 2; drift = distance from the coefficients at initialisation.</p>\n</body></html>\n");
        return h.toString();
    }

    private static Map<String, String> settings(MhcConfig c, int layers) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("injected layers", Integer.toString(layers));
        rows.put("max history H", Integer.toString(c.maxHistory()));
        rows.put("constraint", c.constraint().name());
        rows.put("epsilon", Double.toString(c.epsilon()));
        rows.put("temperature", Double.toString(c.temperature()));
        rows.put("detach history", Boolean.toString(c.detachHistory()));
        rows.put("gate", Boolean.toString(c.gate()));
        return rows;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Rounding can turn a tiny negative (an entropy of -1e-9) into "-0.000": show it as 0. */
    private static double plus(double value) {
        return Math.abs(value) < 5e-4 ? 0.0 : value;
    }
}
