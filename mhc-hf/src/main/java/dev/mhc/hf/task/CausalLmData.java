package dev.mhc.hf.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mhc.core.io.TextLines;
import dev.mhc.core.train.Batch;
import dev.mhc.core.train.Dataset;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Causal language modelling examples: a plain text's paragraphs tokenized (without special tokens),
 * joined with an end-of-text token and packed into blocks of {@code blockSize} tokens (the tail
 * shorter than a block is dropped). Labels are the inputs; the loss shifts them.
 */
public final class CausalLmData implements Dataset {

    private final List<long[]> blocks;

    private CausalLmData(List<long[]> blocks) {
        this.blocks = blocks;
    }

    public static CausalLmData fromText(Path file, TextTokenizer tokenizer, int blockSize, long separatorId)
            throws IOException {
        if (blockSize < 2) {
            throw new IllegalArgumentException("block size must be at least 2 tokens, got " + blockSize);
        }
        List<Long> stream = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        Runnable endParagraph = () -> {
            if (!paragraph.toString().isBlank()) {
                for (long id : tokenizer.ids(paragraph.toString().strip(), false)) {
                    stream.add(id);
                }
                stream.add(separatorId);
            }
            paragraph.setLength(0);
        };
        // paragraphs are separated by blank lines; the lines of one are joined by a line break
        TextLines.read(file, "training text", (number, line) -> {
            if (line.isBlank()) {
                endParagraph.run();
            } else {
                paragraph.append(paragraph.length() == 0 ? "" : "\n").append(line);
            }
        });
        endParagraph.run();
        List<long[]> blocks = new ArrayList<>();
        for (int start = 0; start + blockSize <= stream.size(); start += blockSize) {
            long[] block = new long[blockSize];
            for (int i = 0; i < blockSize; i++) {
                block[i] = stream.get(start + i);
            }
            blocks.add(block);
        }
        if (blocks.isEmpty()) {
            throw new IOException(file + " holds fewer than " + blockSize + " tokens");
        }
        return new CausalLmData(blocks);
    }

    /** @return blocks [from, to) as a dataset of their own */
    public CausalLmData range(int from, int to) {
        return new CausalLmData(blocks.subList(from, to));
    }

    @Override
    public int size() {
        return blocks.size();
    }

    @Override
    public Batch batch(NDManager manager, int[] indices) {
        long[][] rows = new long[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            rows[i] = blocks.get(indices[i]);
        }
        NDArray ids = manager.create(rows);
        return new Batch(new NDList(ids), ids);
    }
}
