package dev.mhc.viz.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.mhc.core.streams.HyperConnections;
import dev.mhc.core.streams.Variant;
import dev.mhc.hf.AutoModel;
import dev.mhc.hf.PretrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Residual matrices read back from a save equal the model's; the report says what they show. */
class StreamsReportTest {

    private static final Path GPT2 = Path.of("..", "mhc-hf", "src", "test", "resources", "fixtures", "gpt2-tiny");

    @TempDir Path tmp;

    private ResidualMatrices trained(Variant variant, Path dir) throws IOException {
        try (PretrainedModel model = AutoModel.fromPretrained(GPT2)) {
            HyperConnections.builder().target("GPT2Block").streams(4).variant(variant).inject(model.block());
            Random random = new Random(2);
            for (Parameter p : HyperConnections.parameters(model.block()).values()) {
                float[] v = p.getArray().toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) random.nextGaussian() * 0.5f;
                }
                p.getArray().set(v);
            }
            HyperConnections.save(model.block(), dir);
            ResidualMatrices fromModel = ResidualMatrices.extract(model.block(), "model");
            ResidualMatrices fromDir = ResidualMatrices.read(dir);
            assertEquals(6, fromDir.branches().size(), "3 blocks x (attn, mlp)");
            for (int b = 0; b < 6; b++) {
                assertEquals(fromModel.branches().get(b).branch(), fromDir.branches().get(b).branch());
                for (int i = 0; i < 4; i++) {
                    assertArrayEquals(fromModel.branches().get(b).matrix()[i], fromDir.branches().get(b).matrix()[i],
                            1e-6);
                }
            }
            return fromDir;
        }
    }

    @Test
    void mhcReportSaysTheGainStaysAtOne() throws IOException {
        ResidualMatrices matrices = trained(Variant.MHC, tmp.resolve("mhc"));
        StreamsAnalysis analysis = StreamsAnalysis.of(matrices);
        assertEquals(1, analysis.last().gain(), 1e-6);
        Path html = StreamsReport.write(matrices, tmp.resolve("report"));
        String text = Files.readString(html);
        assertTrue(text.contains("at most 1.00 times (composite gain): doubly stochastic matrices cannot amplify"), text);
        assertTrue(text.contains("data:image/png;base64,"));
        assertTrue(Files.exists(tmp.resolve("report").resolve("residual-matrices.svg")));
        assertTrue(Files.readString(tmp.resolve("report").resolve("streams.json")).contains("\"homogenisation\""));
    }

    @Test
    void hcReportShowsTheGainGrowing() throws IOException {
        ResidualMatrices matrices = trained(Variant.STATIC_HC, tmp.resolve("hc"));
        StreamsAnalysis analysis = StreamsAnalysis.of(matrices);
        assertTrue(analysis.last().gain() > 1.5, "gain " + analysis.last().gain());
        for (int k = 1; k < analysis.branches().size(); k++) {
            assertTrue(analysis.branches().get(k).homogenisation() >= 0 && analysis.branches().get(k).homogenisation() <= 1);
        }
        String text = Files.readString(StreamsReport.write(matrices, tmp.resolve("report-hc")));
        assertTrue(text.contains("Streams report: hc"), text);
    }
}
