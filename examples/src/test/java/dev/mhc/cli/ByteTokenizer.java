package dev.mhc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A byte-level tokenizer.json (GPT-2's byte-to-character map, BPE without merges): one token per
 * byte, ids 0-255, so any text fits a tiny checkpoint's vocabulary.
 */
final class ByteTokenizer {

    private ByteTokenizer() {}

    static String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(mapper));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(mapper));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        int[] chars = byteChars();
        for (int b = 0; b < 256; b++) {
            vocab.put(new String(Character.toChars(chars[b])), b);
        }
        model.putArray("merges");
        return root.toString();
    }

    private static ObjectNode byteLevel(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", true);
        node.put("use_regex", true);
        return node;
    }

    /** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest for 256 + n. */
    private static int[] byteChars() {
        int[] chars = new int[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            chars[b] = printable ? b : next++;
        }
        return chars;
    }
}
