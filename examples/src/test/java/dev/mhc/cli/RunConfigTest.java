package dev.mhc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mhc.cli.Cli.Result;
import dev.mhc.cli.config.RunConfig;
import dev.mhc.cli.config.RunConfigFiles;
import dev.mhc.cli.config.RunConfigSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mhc finetune --config}: the example configs are valid and point at files that exist; a
 * misspelt key, a wrong type and an out-of-range value are one-line refusals naming the key; a run
 * repeated from its resolved_config.yaml gives the same losses to the last bit.
 */
class RunConfigTest {

    /** The project root: tests run in examples/, the configs' paths are relative to the root. */
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path CONFIGS = ROOT.resolve("examples/configs");

    @TempDir Path tmp;

    @Test
    void theExampleConfigsAreValid() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(CONFIGS)) {
            files = listed.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(3, files.size(), "austen-lora-mhc, digits-vit, pride-gpt2: " + files);
        for (Path file : files) {
            RunConfig run = RunConfigFiles.bind(RunConfigFiles.readTree(file), file.toString());
            assertTrue(Files.isRegularFile(ROOT.resolve(run.data().file())), file + ": no " + run.data().file());
            assertTrue(run.model().path().equals("minilm") || Files.isDirectory(ROOT.resolve(run.model().path())),
                    file + ": no " + run.model().path());
            assertTrue(run.out().startsWith("out/"), file + " writes under out/");
        }
    }

    @Test
    void theCheckedInSchemaIsTheOneTheRecordsGive() throws IOException {
        assertEquals(RunConfigSchema.generate(), Files.readString(CONFIGS.resolve("run-config.schema.json")),
                "regenerate it: ./mhc finetune --print-schema > examples/configs/run-config.schema.json");
        for (String yaml : new String[] {"austen-lora-mhc.yaml", "digits-vit.yaml", "pride-gpt2.yaml"}) {
            assertTrue(Files.readString(CONFIGS.resolve(yaml)).startsWith(
                    "# yaml-language-server: $schema=run-config.schema.json\n"), yaml + " names the schema");
        }
    }

    @Test
    void badKeysTypesAndValuesAreOneLineRefusals() throws IOException {
        String good = Files.readString(CONFIGS.resolve("austen-lora-mhc.yaml"));
        assertRefused(good.replace("  epochs: 1", "  epochz: 1"),
                "unknown key \"training.epochz\" (did you mean \"training.epochs\"?); valid keys in training:");
        assertRefused(good.replace("lora:\n", "lorra:\n"), "unknown key \"lorra\" (did you mean \"lora\"?)");
        assertRefused(good.replace("  epochs: 1", "  epochs: three"), "\"training.epochs\" is \"three\", not an integer");
        assertRefused(good.replace("  epochs: 1", "  epochs: 1.5"), "\"training.epochs\"");
        assertRefused(good.replace("  r: 8", "  r: 8\n  dropout: 1.5"), "lora.dropout must be in [0.0, 1.0), got 1.5");
        assertRefused(good.replace("mode: history", "mode: streams"),
                "mhc.mode must be one of history, hc, mhc, got \"streams\"");
        assertRefused(good.replace("  r: 8", "  r: 8\n  r: 4"), "Duplicate field 'r'");
        assertRefused(good.replace("  r: 8", "\tr: 8"), "is not valid YAML (line");
        assertRefused("[1, 2]\n", "must be a mapping of sections (model, mhc, lora, data, training, out), got [1,2]");
    }

    private void assertRefused(String yaml, String expected) throws IOException {
        Path file = Files.writeString(tmp.resolve("bad.yaml"), yaml);
        Result result = Cli.run("finetune", "--config", file.toString(), "--out", tmp.resolve("never").toString());
        assertEquals(1, result.exit(), result.out());
        assertTrue(result.err().contains(expected), result.err());
        assertEquals(1, result.err().lines().filter(l -> l.startsWith("mhc:")).count(), result.err());
        assertTrue(!Files.exists(tmp.resolve("never")), "nothing is written before the config is valid");
    }

    @Test
    void aRunRepeatedFromItsResolvedConfigGivesTheSameLosses() throws IOException {
        Path first = tmp.resolve("first");
        Result run = Cli.run("finetune", "--config", CONFIGS.resolve("austen-lora-mhc.yaml").toString(),
                "--data", ROOT.resolve("data/austen_train.jsonl").toString(), "--max-examples", "32", "--validation-split", "0.02",
                "--batch-size", "8", "--out", first.toString());
        assertEquals(0, run.exit(), run.err());
        String resolved = Files.readString(first.resolve(RunConfigFiles.RESOLVED));
        assertTrue(resolved.contains("max_examples: 32") && resolved.contains("validation_split: 0.02")
                && resolved.contains("batch_size: 8")
                && resolved.contains("lora_lr: 0.001") && resolved.contains("commit:"), resolved);
        assertEquals(2, resolved.split("\n  seed: 13\n", -1).length - 1, "data.seed filled from training.seed: " + resolved);

        Path second = tmp.resolve("second");
        Result again = Cli.run("finetune", "--config", first.resolve(RunConfigFiles.RESOLVED).toString(),
                "--out", second.toString());
        assertEquals(0, again.exit(), again.err());
        String metrics = Files.readString(first.resolve("metrics.json"));
        assertTrue(metrics.contains("\"validation_accuracies\":["), metrics);
        assertEquals(metrics, Files.readString(second.resolve("metrics.json")));
        assertTrue(Files.exists(second.resolve("adapters/adapter_config.json")));
        assertTrue(Files.exists(second.resolve("mhc/mhc_config.json")));
    }

    @Test
    void theDigitsAndPrideConfigsRunAFewSteps() throws IOException {
        Path checkpoints = tmp.resolve("checkpoints");
        Path digitsConfig = Files.writeString(tmp.resolve("digits.yaml"), Files.readString(CONFIGS.resolve("digits-vit.yaml"))
                .replace("training:\n", "training:\n  checkpoints: " + checkpoints + "\n"));
        Result digits = Cli.run("finetune", "--config", digitsConfig.toString(),
                ROOT.resolve("examples/configs/vit-digits").toString(), "--data", ROOT.resolve("data/digits.csv").toString(),
                "--epochs", "1", "--validation-split", "0.2", "--out", tmp.resolve("d").toString());
        assertEquals(0, digits.exit(), digits.err());
        assertTrue(Files.exists(tmp.resolve("d/labels.json")));
        assertTrue(Files.readString(tmp.resolve("d/metrics.json")).contains("\"validation_accuracies\":["));
        assertTrue(Files.isDirectory(checkpoints.resolve("epoch-0")), "training.checkpoints: a checkpoint per epoch");
        Result pride = Cli.run("finetune", "--config", CONFIGS.resolve("pride-gpt2.yaml").toString(),
                ROOT.resolve("examples/configs/gpt2-pride").toString(), "--data", ROOT.resolve("data/austen_lm.txt").toString(),
                "--max-examples", "16", "--validation-split", "0.25", "--epochs", "1", "--out", tmp.resolve("p").toString());
        assertEquals(0, pride.exit(), pride.err());
        String metrics = Files.readString(tmp.resolve("p/metrics.json"));
        assertTrue(metrics.contains("final_loss") && metrics.contains("\"validation_losses\":["), metrics);
    }
}
