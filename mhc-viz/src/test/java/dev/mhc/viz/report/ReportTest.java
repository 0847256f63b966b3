package dev.mhc.viz.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.core.inject.Mhc;
import dev.mhc.hf.bert.BertModel;
import dev.mhc.viz.InjectedBert;
import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.MixingWeights;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir Path out;

    private List<MixingSnapshot> snapshots() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BertModel model = InjectedBert.create(manager, 8);
            MixingSnapshot learned = MixingWeights.extract(model, "epoch 2");
            Mhc.layers(model).forEach(l -> l.alpha().getArray().set(l.initialWeights()));
            MixingSnapshot start = MixingWeights.extract(model, "epoch 0");
            return List.of(start, learned);
        }
    }

    @Test
    void writesHtmlChartsCsvAndJson() throws IOException {
        Report.Files files = Report.write(snapshots(), out);
        String html = Files.readString(files.html());
        // Layer i has weights (2, 0.5, 0.8 i, 0.8 i) against IDENTITY's initial ones: the last layer moved
        // most towards long-range skips, and layers 0 and 1, which cannot skip, are not read at all.
        String reading = html.substring(html.indexOf("<h2>Reading</h2>"), html.indexOf("<h2>Settings</h2>"));
        assertTrue(reading.contains("Training raised long-range reliance in 6 layers, most in encoder.layer.7"), reading);
        assertFalse(reading.contains("encoder.layer.0 ") || reading.contains("encoder.layer.1 "), reading);
        assertEquals(4, html.split("data:image/png;base64,").length - 1);
        assertTrue(html.contains("<td>encoder.layer.7</td>"));
        assertEquals(8, files.charts().size());
        for (Path chart : files.charts()) {
            assertTrue(Files.size(chart) > 1000, chart + " is not empty");
        }
        BufferedImage heatmap = ImageIO.read(out.resolve("heatmap.png").toFile());
        assertEquals(ChartFiles.WIDTH, heatmap.getWidth());
        assertTrue(Files.readString(out.resolve("heatmap.svg")).startsWith("<?xml"));
        List<String> csv = Files.readAllLines(files.csv());
        assertEquals(9, csv.size());
        assertTrue(csv.get(0).startsWith("path,class,position,entropy,depth,long_range,drift_l1,drift_kl,c0"));
        JsonNode json = new ObjectMapper().readTree(files.json().toFile());
        assertEquals(2, json.get("snapshots").size());
        assertEquals("epoch 2", json.get("snapshots").get(1).get("label").asText());
    }

    /** Renders the report in headless Chromium: the page is not blank and every chart decoded. */
    @Test
    void opensInARealBrowser() throws Exception {
        String browser = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .filter(p -> new File(p).canExecute()).findFirst().orElse(null);
        Assumptions.assumeTrue(browser != null,
                "skipped: no Chromium found (install Debian's chromium package to run this browser check)");
        Report.Files files = Report.write(snapshots(), out);
        Path profile = Files.createTempDirectory(out, "profile");
        List<String> flags = List.of(browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1100,1600");
        String dom = run(concat(flags, "--virtual-time-budget=5000", "--dump-dom", files.html().toUri().toString()));
        assertTrue(dom.contains("<title>mHC mixing report [4/4 charts loaded]</title>"), "charts did not all load");
        Path shot = out.resolve("screenshot.png");
        run(concat(flags, "--screenshot=" + shot, files.html().toUri().toString()));
        BufferedImage image = ImageIO.read(shot.toFile());
        int coloured = 0;
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    coloured++;
                }
            }
        }
        assertTrue(coloured > image.getWidth() * image.getHeight() / 16 / 50, "the screenshot is nearly blank");
    }

    private static List<String> concat(List<String> flags, String... more) {
        List<String> all = new java.util.ArrayList<>(flags);
        all.addAll(List.of(more));
        return all;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "browser did not finish");
        return stdout;
    }
}
