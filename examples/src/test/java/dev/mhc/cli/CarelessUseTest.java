package dev.mhc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.cli.Cli.Result;
import dev.mhc.core.io.SafetensorsFile;
import dev.mhc.examples.Commit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command used carelessly, one test per way it used to lose data, report success for work not
 * done, hang or answer in an internal voice: each fails on the behaviour of commit 55f8cd2.
 */
class CarelessUseTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path FIXTURES = ROOT.resolve("mhc-hf/src/test/resources/fixtures");
    private static final String AUSTEN = ROOT.resolve("data/austen_train.jsonl").toString();

    @TempDir Path tmp;

    private static Result run(String... args) {
        return Cli.run(args);
    }

    private static void assertOneLine(Result result, String... contains) {
        assertEquals(1, result.exit(), result.err());
        String first = result.err().lines().findFirst().orElse("");
        for (String text : contains) {
            assertTrue(first.contains(text), "expected \"" + text + "\" in: " + result.err());
        }
        assertFalse(result.err().contains("\tat "), "a stack trace: " + result.err());
    }

    /** Items 2 and 16: targets a save must never take are refused before any work. */
    @Test
    void badOutputDirectoriesAreRefusedBeforeTheModelLoads() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path model = FIXTURES.resolve("bert-tiny");
        assertOneLine(run("inject", "minilm", "--target", "BertLayer", "--out", "."), "working directory");
        assertOneLine(run("inject", "minilm", "--target", "BertLayer", "--out", ""), "empty path");
        assertOneLine(run("inject", "minilm", "--target", "BertLayer", "--out", "/"), "root");
        assertOneLine(run("inject", "minilm", "--target", "BertLayer", "--out", file.toString()), "not a directory");
        assertOneLine(run("inject", "minilm", "--target", "BertLayer", "--out", "/dev/null"), "not a directory");
        assertOneLine(run("inject", model.toString(), "--target", "BertLayer", "--out", model.resolve("mhc").toString()),
                "inside the input directory");
        assertOneLine(run("finetune", "minilm", "--data", AUSTEN, "--label-field", "book", "--out", ROOT.resolve("data")
                .toString()), "holds the input");
        assertTrue(Files.isRegularFile(ROOT.resolve("data/austen_train.jsonl")));
    }

    /** Item 3: a later save of another kind replaces the first; forward reads the one that is there. */
    @Test
    void aDirectoryHoldsOneSave() throws IOException {
        Path gpt2 = FIXTURES.resolve("gpt2-tiny");
        Path out = tmp.resolve("connections");
        assertEquals(0, run("inject", gpt2.toString(), "--target", "GPT2Block", "--mode", "mhc", "--out", out.toString())
                .exit());
        Result history = run("inject", gpt2.toString(), "--target", "GPT2Block", "--history", "3", "--out",
                out.toString());
        assertEquals(0, history.exit(), history.err());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("mhc_config.json", "mhc_weights.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Result forward = run("forward", gpt2.toString(), "--ids", "1,2,3", "--mhc", out.toString(), "--json");
        assertEquals(0, forward.exit(), forward.err());
    }

    /** Items 6, 7, 8 and 10: a run trains what it says, from a seed, and records the code that ran. */
    @Test
    void aRunTrainsWhatItSaysRepeatablyAndRecordsItsCommit() throws IOException {
        Path config = tmp.resolve("run.yaml");
        Files.writeString(config, "model:\n  path: minilm\n  patches:\n    - name: mhc\n      options: {max_history: 4}\n"
                + "lora:\n  r: 2\ndata:\n  file: " + AUSTEN + "\n  label_field: book\n  max_examples: 24\n"
                + "  max_length: 32\ntraining:\n  epochs: 1\n  batch_size: 2147483647\n  mhc_lr: 0.5\n");
        Path out = tmp.resolve("run");
        Result result = run("finetune", "--config", config.toString(), "--patch", "mhc:max_history=3", "--out",
                out.toString());
        assertEquals(0, result.exit(), result.err());
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(1, metrics.get("epoch_losses").size());
        assertTrue(Double.isFinite(metrics.get("final_loss").asDouble()), "one batch of all 24 examples trained");
        String resolved = Files.readString(out.resolve("resolved_config.yaml"));
        assertTrue(resolved.contains("max_history: 3") && !resolved.contains("max_history: 4"),
                "the flag's patch option wins over the file's: " + resolved);
        assertTrue(resolved.contains("commit: " + Commit.current().replace("-dirty", "")), resolved);
        Path untrained = tmp.resolve("untrained");
        assertEquals(0, run("inject", "minilm", "--target", "BertLayer", "--history", "3", "--out", untrained.toString())
                .exit());
        try (SafetensorsFile trained = SafetensorsFile.open(out.resolve("mhc/mhc_weights.safetensors"));
                SafetensorsFile initial = SafetensorsFile.open(untrained.resolve("mhc_weights.safetensors"))) {
            String key = "encoder.layer.5." + dev.mhc.core.inject.InjectedMHC.ALPHA;
            assertFalse(java.util.Arrays.equals(initial.readFloats(key), trained.readFloats(key)),
                    "the patch's mixing weights trained (LoRA's injection had frozen them)");
        }
    }

    @Test
    void randomWeightRunsAreRepeatable() throws IOException {
        Path config = tmp.resolve("pride.yaml");
        Files.writeString(config, "model:\n  path: " + ROOT.resolve("examples/configs/gpt2-pride") + "\n"
                + "  random_weights: true\ndata:\n  file: " + ROOT.resolve("data/austen_lm.txt") + "\n  task: causal-lm\n"
                + "  block: 32\n  max_examples: 8\ntraining:\n  epochs: 1\n  batch_size: 4\n  seed: 5\n");
        double[] losses = new double[2];
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("pride-" + i);
            Result result = run("finetune", "--config", config.toString(), "--out", out.toString());
            assertEquals(0, result.exit(), result.err());
            losses[i] = JSON.readTree(out.resolve("metrics.json").toFile()).get("final_loss").asDouble();
        }
        assertEquals(losses[0], losses[1], 0, "same seed, same random weights, same loss");
    }

    /** Item 10: the commit is the checkout's that built the program, wherever it runs. */
    @Test
    void provenanceIsTheProgramsCheckoutFromAnyDirectory() throws Exception {
        Process git = new ProcessBuilder("git", "-C", ROOT.toString(), "rev-parse", "HEAD").start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0, "not a git checkout");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), PrintCommit.class.getName()).directory(tmp.toFile()).start();
        String commit = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(child.waitFor(1, TimeUnit.MINUTES));
        assertTrue(commit.startsWith(head), "from " + tmp + ": " + commit);
    }

    /** Prints the commit, for the provenance test's child process. */
    public static final class PrintCommit {
        public static void main(String[] args) {
            System.out.println(Commit.current());
        }
    }

    /** Items 9, 11, 12, 15 and 16: inputs a run must refuse, by name and line, before training. */
    @Test
    void badInputsAreRefusedByNameAndLine() throws Exception {
        Path alias = Files.writeString(tmp.resolve("alias.yaml"), "model:\n  path: minilm\ndata:\n  file: &o " + AUSTEN
                + "\nout: *o\n");
        assertOneLine(run("finetune", "--config", alias.toString()), "anchors and aliases", "line");
        Path arrays = Files.writeString(tmp.resolve("arrays.jsonl"), "{\"text\": \"a\", \"label\": [1]}\n");
        assertOneLine(run("finetune", "minilm", "--data", arrays.toString(), "--out", tmp.resolve("o1").toString()),
                "line 1", "string or an integer");
        Path twice = Files.writeString(tmp.resolve("twice.jsonl"), "{\"text\": \"a\", \"label\": \"x\", \"label\": \"y\"}\n");
        assertOneLine(run("finetune", "minilm", "--data", twice.toString(), "--out", tmp.resolve("o2").toString()),
                "line 1", "Duplicate");
        Path one = Files.writeString(tmp.resolve("one.jsonl"), "{\"text\": \"a\", \"label\": \"x\"}\n".repeat(4));
        assertOneLine(run("finetune", "minilm", "--data", one.toString(), "--out", tmp.resolve("o3").toString()),
                "one class");
        Path bom = Files.writeString(tmp.resolve("bom.jsonl"), "\uFEFF{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": 3,"
                + " \"label\": \"y\"}\n");
        assertOneLine(run("finetune", "minilm", "--data", bom.toString(), "--out", tmp.resolve("o4").toString()),
                "line 2", "must be a string");
        Path latin1 = tmp.resolve("latin1.jsonl");
        Files.write(latin1, "{\"text\": \"caf\u00e9\", \"label\": \"x\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertOneLine(run("finetune", "minilm", "--data", latin1.toString(), "--out", tmp.resolve("o5").toString()),
                "line 1", "UTF-8");
        Path pixels = Files.writeString(tmp.resolve("pixels.csv"), "p0,p1,p2,p3,label\n0,1,2,99,a\n0,1,2,3,b\n");
        assertOneLine(run("finetune", FIXTURES.resolve("vit-tiny").toString(), "--task", "image-cls", "--data",
                pixels.toString(), "--max-value", "16", "--out", tmp.resolve("o6").toString()), "line 2", "outside");
        assertOneLine(run("finetune", "minilm", "--data", "/dev/zero", "--out", tmp.resolve("o7").toString()),
                "device");
        Path fifo = tmp.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0) {
            assertOneLine(run("finetune", "minilm", "--data", fifo.toString(), "--out", tmp.resolve("o8").toString()),
                    "named pipe");
        }
        assertOneLine(run("finetune", "minilm", "--data", tmp.resolve("missing.jsonl").toString(), "--out",
                tmp.resolve("o9").toString()), "no such file", "missing.jsonl");
        assertOneLine(run("embed", "minilm", "--text", "hi", "--patch", "mhc:constraint=evil"), "not one of identity");
    }

    /** Items 11 and 15: sampling and tokenizing as a person expects. */
    @Test
    void temperaturesAtTheEdgesAndAtSignsAndLongTexts() {
        String gpt2 = FIXTURES.resolve("gpt2-tiny").toString();
        Result greedy = run("generate", gpt2, "--prompt-ids", "1,2,3", "--max-new-tokens", "6");
        Result tiny = run("generate", gpt2, "--prompt-ids", "1,2,3", "--max-new-tokens", "6", "--temperature", "1e-45");
        assertEquals(0, tiny.exit(), tiny.err());
        assertEquals(greedy.out(), tiny.out(), "a vanishing temperature samples the argmax, not token 0");
        assertOneLine(run("generate", gpt2, "--prompt-ids", "1", "--temperature", "-0.5"), "temperature");
        assertOneLine(run("generate", gpt2, "--prompt-ids", "1", "--temperature", "NaN"), "temperature");
        Result at = run("tokenize", "minilm", "--text", "@home", "--json");
        assertEquals(0, at.exit(), at.err());
        assertTrue(at.out().contains("\"@\""), "the text @home, not a file: " + at.out());
        Result long_ = run("tokenize", "minilm", "--text", "word ".repeat(5000));
        assertTrue(long_.out().contains("truncated"), long_.out());
    }

    /** Items 13 and 14: sizes from configs and flags are bounded before anything is allocated. */
    @Test
    void sizesThatCannotFitAreRefusedBeforeAllocating() throws IOException {
        Path huge = Files.createDirectories(tmp.resolve("llama-70b"));
        Files.writeString(huge.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\":"
                + " \"llama\", \"hidden_size\": 8192, \"intermediate_size\": 28672, \"num_attention_heads\": 64,"
                + " \"num_key_value_heads\": 8, \"num_hidden_layers\": 80, \"vocab_size\": 128256}");
        Result inspect = run("inspect", huge.toString(), "--json");
        assertEquals(0, inspect.exit(), inspect.err());
        assertTrue(inspect.out().contains("\"matches\":80"), inspect.out());
        Result inject = run("inject", huge.toString(), "--target", "LlamaDecoderLayer", "--out",
                tmp.resolve("mixing").toString());
        assertEquals(0, inject.exit(), inject.err());
        assertOneLine(run("forward", huge.toString(), "--ids", "1", "--random-weights"), "more than this machine's");
        assertOneLine(run("inspect", huge.toString(), "--override", "model.num_hidden_layers=1000000"), "at most 100000");
        assertOneLine(run("embed", "minilm", "--text", "hi", "--patch", "mhc:max_history=1000000000"),
                "more than an array can hold");
        assertOneLine(run("inject", "minilm", "--target", "BertLayer", "--history", "2000000000", "--out",
                tmp.resolve("h").toString()), "more than an array can hold");
        assertOneLine(run("inject", "minilm", "--target", "BertLayer", "--history", "500000000", "--out",
                tmp.resolve("h").toString()), "of memory");
        assertOneLine(run("finetune", "minilm", "--data", AUSTEN, "--label-field", "book", "--lora-rank", "1048576",
                "--out", tmp.resolve("r").toString()), "exceeds min(in, out)");
    }
}
