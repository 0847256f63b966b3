package dev.mhc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.mhc.cli.Cli.Result;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user runs it: exit codes, JSON, one-line errors without stack traces. */
class MhcCommandTest {

    @TempDir Path tmp;

    private static Result run(String... args) {
        return Cli.run(args);
    }

    @Test
    void inspectTheEmbeddedModelAsJson() throws Exception {
        Result result = run("inspect", "minilm", "--target", "BertLayer", "--json");
        assertEquals(0, result.exit(), result.err());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertEquals("bert", json.get("model_type").asText());
        assertEquals(6, json.get("matches").asInt());
        assertEquals(24, json.get("mixing_parameters").asInt());
        assertEquals(6, json.get("layer_classes").get("BertLayer").asInt());
        assertTrue(json.get("parameters").asLong() > 22_000_000);
    }

    /** Where PyTorch sees no GPU (CI, this CPU build), --device gpu says so and runs on the CPU. */
    @Test
    void aMissingGpuFallsBackToTheCpuWithAMessage() {
        assumeTrue(ai.djl.engine.Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        Result gpu = run("embed", "minilm", "--text", "hello", "--device", "gpu");
        assertEquals(0, gpu.exit(), gpu.err());
        assertTrue(gpu.err().startsWith("mhc: --device gpu: PyTorch sees 0 GPU(s)"), gpu.err());
        assertTrue(gpu.err().contains("running on the CPU"), gpu.err());
        Result cpu = run("embed", "minilm", "--text", "hello", "--device", "cpu");
        assertEquals(gpu.out(), cpu.out(), "the fall-back computes what --device cpu does");

        Result bad = run("embed", "minilm", "--text", "hello", "--device", "tpu");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("mhc: --device must be cpu, gpu or gpu:N, got \"tpu\""), bad.err());
    }

    @Test
    void badArgumentsExitNonZeroWithOneLineAndAHint() {
        Result unknownTarget = run("inspect", "minilm", "--target", "BERTLayer");
        assertEquals(1, unknownTarget.exit());
        assertTrue(unknownTarget.err().startsWith("mhc: no block of class \"BERTLayer\"; did you mean \"BertLayer\""),
                unknownTarget.err());
        assertTrue(unknownTarget.err().contains("Try 'mhc inspect --help'"));
        assertFalse(unknownTarget.err().contains("\tat "), "no stack trace without --verbose");

        Result missing = run("inspect", tmp.resolve("nothing").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("mhc: no model at"), missing.err());

        Result history = run("inject", "minilm", "--target", "BertLayer", "--history", "0", "--out", tmp.toString());
        assertEquals(1, history.exit());
        assertTrue(history.err().startsWith("mhc: --history must be at least 2"), history.err());

        Result usage = run("inject", "minilm");
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("Missing required options"), usage.err());

        Result verbose = run("inspect", "minilm", "--target", "BERTLayer", "--verbose");
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace");
    }

    /** The acceptance: each exits non-zero within 5 s with one line naming the problem. */
    @Test
    void hostileFilesAndInputsThroughForwardFailFastWithOneLine() throws Exception {
        Path fifoCheckpoint = shardedBert(tmp.resolve("fifo"));
        Path fifo = fifoCheckpoint.resolve("model-00001-of-00001.safetensors");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        assertOneLineFailure(List.of("forward", fifoCheckpoint.toString(), "--ids", "1,2"), fifo + " is a named pipe");

        Path linkCheckpoint = shardedBert(tmp.resolve("link"));
        Path outside = Files.writeString(tmp.resolve("outside.safetensors"), "SECRET");
        Files.createSymbolicLink(linkCheckpoint.resolve("model-00001-of-00001.safetensors"), outside);
        Result link = assertOneLineFailure(List.of("forward", linkCheckpoint.toString(), "--ids", "1,2"),
                "leads to " + outside.toRealPath() + ", outside");
        assertFalse(link.err().contains("SECRET"));

        assertOneLineFailure(List.of("forward", "minilm", "--ids", "101,30522,102"),
                "input_ids holds 30522, outside [0, 30522) (vocab_size 30522)");
        assertOneLineFailure(List.of("forward", "minilm", "--ids", "101,2023,102", "--mask", "1,5,1"),
                "attention_mask must hold only 1 (a token) and 0 (padding), got 5");
        assertOneLineFailure(List.of("forward", "minilm", "--ids", "101,2023,102", "--mask", "1,-3,1"), "got -3");
        assertOneLineFailure(List.of("forward", "minilm", "--ids", "101,2023,102", "--mask", "1,1"),
                "--mask \"1,1\" has 2 values for the 3 ids of its row");
    }

    private Result assertOneLineFailure(List<String> args, String expected) {
        Result result = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> run(args.toArray(String[]::new)), String.join(" ", args));
        assertEquals(1, result.exit(), result.err());
        assertTrue(result.err().startsWith("mhc: ") && result.err().contains(expected), result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
        return result;
    }

    /** A BERT config.json and a shard index naming one shard, which the caller puts in place. */
    private static Path shardedBert(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"],"
                + " \"vocab_size\": 10, \"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
                + " \"intermediate_size\": 16}");
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"embeddings.word_embeddings.weight\": \"model-00001-of-00001.safetensors\"}}");
        return dir;
    }

    /** The ids HF's own GPT-2 tokenizer gave each golden text (the fixture), through mhc tokenize. */
    @Test
    void tokenizeGivesHuggingFacesIds() throws Exception {
        Path fixture = Path.of("..", "mhc-hf", "src", "test", "resources", "fixtures", "gpt2-tokenizer");
        ObjectMapper json = new ObjectMapper();
        for (JsonNode golden : json.readTree(fixture.resolve("golden.json").toFile())) {
            Result result = run("tokenize", fixture.resolve("tokenizer.json").toString(), "--text",
                    golden.get("text").asText(), "--json");
            assertEquals(0, result.exit(), result.err());
            JsonNode row = json.readTree(result.out());
            assertEquals(golden.get("ids"), row.get("ids"), golden.get("text").asText());
            assertEquals(golden.get("ids").size(), row.get("tokens").size());
        }
        Result minilm = run("tokenize", "minilm", "--text", "hello", "--json");
        assertEquals("[101,7592,102]", json.readTree(minilm.out()).get("ids").toString(), "[CLS] hello [SEP]");
        Result missing = run("tokenize", tmp.resolve("nowhere").toString(), "--text", "x");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("mhc: no tokenizer.json at"), missing.err());
    }

    @Test
    void injectThenReportAndForward() throws Exception {
        Path mhc = tmp.resolve("mhc");
        assertEquals(0, run("inject", "minilm", "--target", "BertLayer", "--history", "3", "--out", mhc.toString()).exit());
        assertTrue(Files.exists(mhc.resolve("mhc_config.json")));
        Result report = run("report", mhc.toString(), "--out", tmp.resolve("report").toString());
        assertEquals(0, report.exit(), report.err());
        assertTrue(Files.exists(tmp.resolve("report/report.html")));
        Result forward = run("forward", "minilm", "--ids", "101,2023,102", "--ids", "101,102", "--mhc", mhc.toString(),
                "--json");
        assertEquals(0, forward.exit(), forward.err());
        JsonNode json = new ObjectMapper().readTree(forward.out());
        assertEquals("last_hidden_state", json.get("output").asText());
        assertEquals("[2,3,384]", json.get("shape").toString());
        assertEquals(2 * 3 * 384, json.get("data").size());
    }

    @Test
    void finetuneWritesHeadAdaptersAndMixingWeights() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            jsonl.append("{\"text\": \"a happy bright day\", \"label\": \"up\"}\n");
            jsonl.append("{\"text\": \"a gloomy dark night\", \"label\": \"down\"}\n");
        }
        Path data = tmp.resolve("mood.jsonl");
        Files.writeString(data, jsonl);
        Path out = tmp.resolve("ft");
        Result result = run("finetune", "minilm", "--data", data.toString(), "--lora-rank", "2", "--target", "BertLayer",
                "--history", "3", "--epochs", "4", "--lr", "5e-2", "--max-length", "16", "--out", out.toString());
        assertEquals(0, result.exit(), result.err());
        assertTrue(Files.exists(out.resolve("head.safetensors")));
        assertTrue(Files.exists(out.resolve("adapters/adapter_config.json")));
        assertTrue(Files.exists(out.resolve("mhc/mhc_config.json")));
        assertEquals("[\"down\",\"up\"]", Files.readString(out.resolve("labels.json")));
        // The mixing is named as on the bare model (as inject names it), so it loads onto it too.
        String mixing = Files.readString(out.resolve("mhc/mhc_config.json"));
        assertTrue(mixing.contains("\"encoder.layer.0\"") && !mixing.contains("encoder.encoder"), mixing);
        Result onBareModel = run("forward", "minilm", "--ids", "101,2023,102", "--mhc", out.resolve("mhc").toString());
        assertEquals(0, onBareModel.exit(), onBareModel.err());

        Result classified = run("classify", "minilm", "--classifier", out.toString(), "--text", "a happy bright day",
                "--text", "a gloomy dark night", "--json");
        assertEquals(0, classified.exit(), classified.err());
        JsonNode rows = new ObjectMapper().readTree(classified.out());
        assertEquals("a happy bright day", rows.get(0).get("text").asText());
        assertEquals("up", rows.get(0).get("label").asText(), "the label it was trained on");
        assertEquals("down", rows.get(1).get("label").asText(), "the label it was trained on");
    }

    @Test
    void finetuneAnImageClassifierFromAConfig() throws Exception {
        Path config = tmp.resolve("vit");
        Files.createDirectories(config);
        Files.writeString(config.resolve("config.json"), "{\"model_type\": \"vit\", \"image_size\": 4,"
                + " \"patch_size\": 2, \"num_channels\": 1, \"hidden_size\": 8, \"num_hidden_layers\": 2,"
                + " \"num_attention_heads\": 2, \"intermediate_size\": 16}");
        StringBuilder csv = new StringBuilder("p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11,p12,p13,p14,p15,label\n");
        for (int i = 0; i < 8; i++) {
            csv.append(i % 2 == 0 ? "9,9,9,9,0,0,0,0,0,0,0,0,0,0,0,0,a\n" : "0,0,0,0,0,0,0,0,0,0,0,0,9,9,9,9,b\n");
        }
        Path data = tmp.resolve("images.csv");
        Files.writeString(data, csv);
        Path out = tmp.resolve("ft-images");
        Result result = run("finetune", config.toString(), "--task", "image-cls", "--data", data.toString(),
                "--max-value", "9", "--target", "ViTLayer", "--history", "2", "--epochs", "1", "--out", out.toString(),
                "--random-weights");
        assertEquals(0, result.exit(), result.err());
        assertTrue(Files.exists(out.resolve("trained.safetensors")));
        assertTrue(Files.exists(out.resolve("mhc/mhc_config.json")));
    }

    /** Weights are checked in one place: none is refused unless asked for, pickles are refused with a way out. */
    @Test
    void commandsThatComputeRefuseDirectoriesWithoutReadableWeights() throws Exception {
        Path dir = tmp.resolve("gpt2");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\", \"n_embd\": 8, \"n_layer\": 2,"
                + " \"n_head\": 2, \"vocab_size\": 16, \"n_positions\": 8}");
        Result none = run("forward", dir.toString(), "--ids", "1,2,3");
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("has no weights") && none.err().contains("--random-weights"), none.err());
        assertEquals(0, run("forward", dir.toString(), "--ids", "1,2,3", "--random-weights").exit());
        assertEquals(0, run("inspect", dir.toString()).exit(), "structure alone needs no weights");

        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        Result pickle = run("forward", dir.toString(), "--ids", "1,2,3");
        assertEquals(1, pickle.exit());
        assertTrue(pickle.err().contains("holds pytorch_model.bin and no model.safetensors")
                && pickle.err().contains("safe_serialization=True"), pickle.err());
    }

    /** Streams end to end: inject mHC on GPT-2's fixture, forward with it, the same outputs at the start. */
    @Test
    void hyperConnectionsInjectAndLoadFromTheCommandLine() throws Exception {
        Path gpt2 = Path.of(System.getProperty("user.dir")).getParent().resolve("mhc-hf/src/test/resources/fixtures/gpt2-tiny");
        Path out = tmp.resolve("streams");
        Result injected = run("inject", gpt2.toString(), "--target", "GPT2Block", "--mode", "mhc", "--streams", "2",
                "--out", out.toString(), "--json");
        assertEquals(0, injected.exit(), injected.err());
        assertTrue(injected.out().contains("\"layers\":3") && injected.out().contains("\"variant\":\"MHC\""),
                injected.out());
        Result plain = run("forward", gpt2.toString(), "--ids", "1,2,3", "--json");
        Result withStreams = run("forward", gpt2.toString(), "--ids", "1,2,3", "--mhc", out.toString(), "--json");
        assertEquals(0, withStreams.exit(), withStreams.err());
        float[] a = floats(plain.out());
        float[] b = floats(withStreams.out());
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5, "logit " + i);
        }
        Result bert = run("inject", "minilm", "--target", "BertLayer", "--mode", "hc", "--out", tmp.resolve("x").toString());
        assertEquals(1, bert.exit());
        assertTrue(bert.err().contains("BertLayer is post-norm"), bert.err());
        Result badMode = run("inject", "minilm", "--target", "BertLayer", "--mode", "streams", "--out", tmp.resolve("y").toString());
        assertTrue(badMode.err().contains("mode must be history, hc or mhc"), badMode.err());
    }

    /**
     * Llama, Qwen2 and Qwen3 from the command line: inspect finds the decoder layers under HF's
     * class names, greedy generation gives HF's tokens, and LoRA (PEFT's usual targets) + mHC
     * fine-tune a causal LM on Austen's text.
     */
    @Test
    void rotaryDecodersFromTheCommandLine() throws Exception {
        Path fixtures = Path.of(System.getProperty("user.dir")).getParent().resolve("mhc-hf/src/test/resources/fixtures");
        for (String[] f : new String[][] {{"llama-tiny", "LlamaDecoderLayer"}, {"llama-tiny-llama3-rope", "LlamaDecoderLayer"},
                {"qwen2-tiny", "Qwen2DecoderLayer"}, {"qwen3-tiny", "Qwen3DecoderLayer"}}) {
            Result inspect = run("inspect", fixtures.resolve(f[0]).toString());
            assertEquals(0, inspect.exit(), inspect.err());
            assertTrue(inspect.out().contains("target: " + f[1]) && inspect.out().contains("matches: 3"), inspect.out());
            JsonNode golden = new ObjectMapper().readTree(fixtures.resolve(f[0]).resolve("golden.json").toFile());
            JsonNode ids = golden.get("inputs").get("input_ids").get("data");
            JsonNode expected = golden.get("outputs").get("generated_sequence").get("data");
            StringBuilder prompt = new StringBuilder();
            ids.forEach(id -> prompt.append(prompt.length() == 0 ? "" : ",").append(id.asLong()));
            Result generated = run("generate", fixtures.resolve(f[0]).toString(), "--prompt-ids", prompt.toString(),
                    "--max-new-tokens", "8", "--json");
            assertEquals(0, generated.exit(), generated.err());
            JsonNode tokens = new ObjectMapper().readTree(generated.out()).get("token_ids");
            for (int i = 0; i < 8; i++) {
                assertEquals(expected.get(ids.size() + i).asLong(), tokens.get(i).asLong(), f[0] + " token " + i);
            }
        }

        Path llama = tmp.resolve("llama");
        Files.createDirectories(llama);
        for (String file : new String[] {"config.json", "model.safetensors", "generation_config.json"}) {
            Files.copy(fixtures.resolve("llama-tiny").resolve(file), llama.resolve(file));
        }
        Files.writeString(llama.resolve("tokenizer.json"), ByteTokenizer.json());
        Path austen = Path.of(System.getProperty("user.dir")).getParent().resolve("data/austen_lm.txt");
        Path out = tmp.resolve("ft-llama");
        Result tuned = run("finetune", llama.toString(), "--task", "causal-lm", "--data", austen.toString(),
                "--block", "16", "--max-examples", "24", "--batch-size", "8", "--epochs", "1",
                "--lora-rank", "2", "--lora-targets", "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
                "--target", "LlamaDecoderLayer", "--history", "2", "--out", out.toString());
        assertEquals(0, tuned.exit(), tuned.err());
        assertTrue(Files.exists(out.resolve("adapters/adapter_config.json")));
        String mixing = Files.readString(out.resolve("mhc/mhc_config.json"));
        assertTrue(mixing.contains("\"model.layers.2\"") && mixing.contains("LlamaDecoderLayer"), mixing);
        String adapters = Files.readString(out.resolve("adapters/adapter_config.json"));
        assertTrue(adapters.contains("gate_proj") && adapters.contains("o_proj"), adapters);
        Result withMixing = run("generate", llama.toString(), "--prompt", "It is a truth", "--max-new-tokens", "4",
                "--mhc", out.resolve("mhc").toString());
        assertEquals(0, withMixing.exit(), withMixing.err());
        Result tunedModel = run("generate", llama.toString(), "--prompt", "It is a truth", "--max-new-tokens", "4",
                "--finetuned", out.toString(), "--json");
        assertEquals(0, tunedModel.exit(), tunedModel.err());
        Result both = run("generate", llama.toString(), "--prompt", "It", "--finetuned", out.toString(),
                "--mhc", out.resolve("mhc").toString());
        assertTrue(both.err().contains("give --mhc or --finetuned, not both"), both.err());
        Result report = run("report", out.resolve("mhc").toString(), "--out", tmp.resolve("llama-report").toString());
        assertEquals(0, report.exit(), report.err());
        assertTrue(Files.readString(tmp.resolve("llama-report/report.html")).contains("model.layers.2"));
    }

    /** --override and --patch reach the library from every command that loads a model, minilm included. */
    @Test
    void overridesAndPatchesFromTheCommandLine() throws Exception {
        float[] plain = floats(run("forward", "minilm", "--ids", "101,2023,102", "--json").out());
        Result relu = run("forward", "minilm", "--ids", "101,2023,102", "--override", "model.hidden_act=relu", "--json");
        assertEquals(0, relu.exit(), relu.err());
        assertTrue(Math.abs(floats(relu.out())[0] - plain[0]) > 1e-4, "hidden_act=relu should change the output");
        Result mixed = run("forward", "minilm", "--ids", "101,2023,102", "--patch", "mhc:max_history=3,epsilon=0.5",
                "--json");
        assertEquals(0, mixed.exit(), mixed.err());
        assertTrue(Math.abs(floats(mixed.out())[0] - plain[0]) > 1e-4, "the mhc patch at epsilon 0.5 should mix");

        Result typo = run("forward", "minilm", "--ids", "101", "--patch", "mhc:max_histroy=3");
        assertEquals(1, typo.exit());
        assertTrue(typo.err().contains("no option \"max_histroy\" (did you mean \"max_history\"?)"), typo.err());
        Result unknown = run("inspect", "minilm", "--patch", "unpadd");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("no patch \"unpadd\" for model type \"bert\""), unknown.err());
        Result badKey = run("inspect", "minilm", "--override", "model.hiden_act=relu");
        assertEquals(1, badKey.exit());
        assertTrue(badKey.err().contains("\"model.hiden_act\"") && badKey.err().contains("hidden_act"), badKey.err());
        Result noValue = run("inspect", "minilm", "--override", "model.hidden_act");
        assertTrue(noValue.err().contains("--override takes KEY=VALUE"), noValue.err());
    }

    /** Files from Python: a PEFT adapter by --adapter; unknown config keys named on one line, refused when strict. */
    @Test
    void peftAdaptersAndUnknownConfigKeysFromTheCommandLine() throws Exception {
        Path peft = Path.of(System.getProperty("user.dir")).getParent()
                .resolve("mhc-hf/src/test/resources/fixtures/peft-options");
        JsonNode golden = new ObjectMapper().readTree(peft.resolve("dora/golden.json").toFile());
        Result adapted = run("forward", peft.resolve("base").toString(), "--ids", "5,17,99,3,250,41,7,12,201,33",
                "--adapter", peft.resolve("dora").toString(), "--json");
        assertEquals(0, adapted.exit(), adapted.err());
        float[] logits = floats(adapted.out());
        float worst = 0;
        for (int i = 0; i < logits.length; i++) {
            worst = Math.max(worst, Math.abs(logits[i] - (float) golden.get("data").get(i).asDouble()));
        }
        assertTrue(worst <= 1e-5f, "forward --adapter differs from PEFT by " + worst);

        Path model = Files.createDirectories(tmp.resolve("tf5"));
        Path base = peft.resolve("base");
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper()
                .readTree(base.resolve("config.json").toFile());
        config.put("future_switch", 1);
        Files.writeString(model.resolve("config.json"), config.toString());
        Files.createSymbolicLink(model.resolve("model.safetensors"), base.resolve("model.safetensors").toAbsolutePath());
        Result noted = run("forward", model.toString(), "--ids", "5,17");
        assertEquals(0, noted.exit(), noted.err());
        assertEquals(1, noted.err().lines().filter(l -> l.contains("[future_switch]")).count(), noted.err());
        Result strict = run("forward", model.toString(), "--ids", "5,17", "--strict-config");
        assertEquals(1, strict.exit());
        assertTrue(strict.err().contains("future_switch") && strict.err().contains("does not read"), strict.err());
    }

    private static float[] floats(String json) throws java.io.IOException {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("data");
        float[] values = new float[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) node.get(i).asDouble();
        }
        return values;
    }
}
