package dev.mhc.viz.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mhc.viz.LayerMixing;
import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.analytics.Analysis;
import dev.mhc.viz.analytics.LayerFigures;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures as CSV (one row per layer) and JSON (everything), for other tools. */
public final class Exports {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Exports() {}

    public static String csv(MixingSnapshot snapshot, Analysis analysis) {
        StringBuilder out = new StringBuilder("path,class,position,entropy,depth,long_range,drift_l1,drift_kl");
        for (int k = 0; k < snapshot.maxHistory(); k++) {
            out.append(",c").append(k);
        }
        out.append('\n');
        for (int i = 0; i < snapshot.layers().size(); i++) {
            LayerMixing layer = snapshot.layers().get(i);
            LayerFigures f = analysis.layers().get(i);
            out.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f", layer.path(),
                    layer.className(), layer.position(), f.entropy(), f.depth(), f.longRange(), f.driftL1(), f.driftKl()));
            for (float c : layer.coefficients()) {
                out.append(String.format(Locale.ROOT, ",%.6f", c));
            }
            out.append('\n');
        }
        return out.toString();
    }

    public static byte[] json(List<MixingSnapshot> snapshots, List<Analysis> analyses) throws IOException {
        List<Map<String, Object>> entries = new java.util.ArrayList<>();
        for (int s = 0; s < snapshots.size(); s++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("label", snapshots.get(s).label());
            entry.put("settings", snapshots.get(s).settings());
            entry.put("layers", snapshots.get(s).layers());
            entry.put("analysis", analyses.get(s));
            entries.add(entry);
        }
        return JSON.writeValueAsBytes(Map.of("snapshots", entries));
    }
}
