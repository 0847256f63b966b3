package dev.mhc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The measured figures of the README and its pages (docs/results.md, models.md, finetuning.md) are the
 * records in docs/results: each record is named there, and each of its variants' "mean ± std" (or,
 * for the bench record, each figure's ratio) stands there as the record has it.
 */
class ReadmeResultsTest {

    static String figure(double mean, double std) {
        String format = Math.abs(mean) < 10 ? "%.3f ± %.3f" : "%.1f ± %.1f";
        return String.format(Locale.ROOT, format, mean, std);
    }

    @Test
    void everyRecordAndEveryVariantFigureIsInTheReadme() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String readme = Files.readString(root.resolve("README.md")) + Files.readString(root.resolve("docs/results.md"))
                + Files.readString(root.resolve("docs/models.md")) + Files.readString(root.resolve("docs/finetuning.md"));
        List<Path> records;
        try (Stream<Path> files = Files.list(root.resolve("docs/results"))) {
            records = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(records.isEmpty(), "docs/results holds the records");
        for (Path record : records) {
            String name = "docs/results/" + record.getFileName();
            assertTrue(readme.contains(name), "README.md and its pages do not name " + name);
            JsonNode json = new ObjectMapper().readTree(record.toFile());
            if (json.has("figures")) { // an `mhc bench` record: each figure's ratio to its same-run baseline
                for (JsonNode f : json.get("figures")) {
                    String ratio = String.format(Locale.ROOT, "%s | %.2f", f.get("name").asText(),
                            f.get("ratio").asDouble());
                    assertTrue(readme.contains(ratio), "README.md and its pages lack " + name + "'s figure \"" + ratio + "\"");
                }
                continue;
            }
            for (JsonNode variant : json.get("variants")) {
                String figure = figure(variant.get("mean").asDouble(), variant.get("std").asDouble());
                assertTrue(readme.contains(figure), "README.md and its pages lack " + name + "'s " + variant.get("name").asText()
                        + " figure " + figure);
                assertTrue(variant.get("values").size() == json.get("seeds").size(), name + ": one value per seed");
            }
        }
    }
}
