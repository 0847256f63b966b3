package dev.mhc.examples.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of {@code mhc bench} as a record for docs/results: the command, the machine, and every
 * figure with its same-run baseline.
 */
public final class BenchRecord {

    private BenchRecord() {}

    /**
     * @param only the groups or figures the run was limited to, or {@code null} for all
     * @param file the record's path as given on the command line
     */
    public static String of(List<Figure> figures, List<String> only, String file) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("command", "./mhc bench" + (only == null ? "" : " --only " + String.join(",", only))
                + " --record " + file);
        record.put("date", LocalDate.now().toString());
        record.put("machine", Map.of("cpu", cpuModel(), "cores", Runtime.getRuntime().availableProcessors(),
                "memory_gb", Math.round(totalMemoryGb()), "java", System.getProperty("java.version")));
        record.put("method", "medians of interleaved rounds (5 rounds after a warm-up round); ONNX Runtime in a child"
                + " JVM; peak memory as VmHWM of a fresh process on each side; ratio = median over rounds of"
                + " (figure / baseline in the same round)");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", f.name());
            row.put("unit", f.unit());
            row.put("median", f.median());
            row.put("min", f.min());
            row.put("max", f.max());
            row.put("baseline", f.baseline());
            row.put("baseline_median", f.baselineMedian());
            row.put("ratio", f.ratio());
            row.put("threads", f.threads());
            rows.add(row);
        }
        record.put("figures", rows);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(record) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's architecture says enough
        }
        return System.getProperty("os.arch");
    }

    private static double totalMemoryGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
