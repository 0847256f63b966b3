package dev.mhc.hf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.hf.bert.BertConfig;
import dev.mhc.hf.config.HfConfigs;
import dev.mhc.hf.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs the engine would reject with "index out of range in self", or accept and turn into NaN:
 * each refused before the engine, naming the input, the value and what is allowed.
 */
class HostileInputsTest {

    private static PretrainedModel bert;
    private static PretrainedModel gpt2;
    private static NDManager manager;
    @TempDir Path tmp;

    @BeforeAll
    static void open() throws IOException {
        bert = AutoModel.fromPretrained(Golden.fixture("bert-tiny").dir());
        gpt2 = AutoModel.fromPretrained(Golden.fixture("gpt2-tiny").dir());
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
        gpt2.close();
        bert.close();
    }

    private static String refused(PretrainedModel model, NDList inputs) {
        return assertThrows(IllegalArgumentException.class, () -> model.predict(inputs)).getMessage();
    }

    private static void contains(String message, String expected) {
        assertTrue(message.contains(expected), message);
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreNamed() {
        long vocab = bert.config(BertConfig.class).vocabSize();
        contains(refused(bert, new NDList(manager.create(new long[][] {{1, -1, 2}}))),
                "input_ids holds -1, outside [0, " + vocab + ") (vocab_size " + vocab + ")");
        contains(refused(bert, new NDList(manager.create(new long[][] {{1, vocab}}))),
                "input_ids holds " + vocab + ", outside [0, " + vocab + ")");
        contains(refused(gpt2, new NDList(manager.create(new long[][] {{-5}}))), "input_ids holds -5");
    }

    @Test
    void tokenTypesOutsideTheirVocabularyAreNamed() {
        NDList inputs = new NDList(manager.create(new long[][] {{1, 2}}), manager.create(new long[][] {{1, 1}}),
                manager.create(new long[][] {{0, 2}}));
        contains(refused(bert, inputs), "token_type_ids holds 2, outside [0, 2) (type_vocab_size 2)");
    }

    @Test
    void positionsPastTheTableAreNamed() {
        NDList inputs = new NDList(manager.create(new long[][] {{1, 2}}), manager.create(new long[][] {{1, 1}}),
                manager.create(new long[][] {{63, 64}}));
        contains(refused(gpt2, inputs), "position_ids holds 64, outside [0, 64) (n_positions 64); shorten the input");
    }

    @Test
    void idsOfTheWrongShapeOrNoneAtAllAreNamed() {
        contains(refused(bert, new NDList(manager.create(new long[] {1, 2, 3}))),
                "input_ids must be 2-D [batch, seq], got shape (3): make one sequence a batch of one");
        contains(refused(bert, new NDList()), "BertModel takes [input_ids, attention_mask, token_type_ids], got no inputs");
        contains(refused(gpt2, new NDList(manager.create(new long[1][0]))), "input_ids is empty");
        contains(refused(bert, new NDList(manager.create(new float[][] {{1, 2}}))),
                "input_ids must hold integer token ids, got float32");
    }

    @Test
    void masksMustHoldOnlyZerosAndOnes() {
        long[][] ids = {{1, 2, 3}};
        contains(refused(bert, new NDList(manager.create(ids), manager.create(new long[][] {{1, 5, 1}}))),
                "attention_mask must hold only 1 (a token) and 0 (padding), got 5");
        contains(refused(gpt2, new NDList(manager.create(ids), manager.create(new long[][] {{1, -3, 1}}))),
                "got -3");
        contains(refused(bert, new NDList(manager.create(ids), manager.create(new float[][] {{1, 0.5f, 1}}))),
                "got 0.5");
        contains(refused(bert, new NDList(manager.create(ids), manager.create(new long[][] {{1, 1}}))),
                "attention_mask has shape (1, 2) but must be (1, 3)");
    }

    @Test
    void configValuesThatWouldOnlyShowAsNaNOutputsAreRefused() throws IOException {
        String[][] cases = {
            {"\"layer_norm_eps\": NaN", "layer_norm_eps must be a small positive number (such as 1e-12), got NaN"},
            {"\"layer_norm_eps\": -1", "layer_norm_eps must be a small positive number (such as 1e-12), got -1.0"},
            {"\"hidden_dropout_prob\": 5", "hidden_dropout_prob must be a dropout probability in [0, 1), got 5.0"},
            {"\"attention_probs_dropout_prob\": -0.1", "attention_probs_dropout_prob must be a dropout probability"},
            {"\"vocab_size\": 0", "vocab_size must be a positive integer, got 0"},
        };
        for (String[] c : cases) {
            Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"bert\", " + c[0] + "}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HfConfigs.read(tmp, BertConfig.class), c[0]);
            contains(e.getMessage(), c[1]);
        }
    }
}
