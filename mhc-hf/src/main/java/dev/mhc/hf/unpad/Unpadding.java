package dev.mhc.hf.unpad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where the real tokens of a padded [batch, seq] layout are. Packing gathers them into [1,
 * tokens, hidden]; unpacking puts them back, zeros at the padding. For attention the sequences are
 * laid out again in up to {@value #BUCKETS} buckets of similar length (sorted by length, equal
 * counts), each padded only to its own longest sequence, so that attention's cost follows the
 * lengths too. Every move is a gather, so gradients flow through.
 */
public final class Unpadding {

    /** The key of the unpadding in a forward call's parameters. */
    public static final String PARAM = "unpadding";

    static final int BUCKETS = 4;

    /**
     * Sequences of similar length, padded to the longest of them.
     *
     * @param sources [sequences * length]: the packed row of each slot (row 0 at padding, which the
     *     mask hides from the keys and whose queries are dropped)
     * @param mask additive [sequences, 1, 1, length]
     */
    public record Bucket(long sequences, long length, NDArray sources, NDArray mask) {

        /** [1, tokens, width] -> [sequences, length, width] */
        public NDArray spread(NDArray packed) {
            long width = packed.getShape().get(2);
            return packed.reshape(packed.getShape().get(1), width).get(sources).reshape(sequences, length, width);
        }
    }

    private final long batch;
    private final long seq;
    private final int tokens;
    private final NDArray realSlots;
    private final NDArray slotSources;
    private final List<Bucket> buckets;
    private final NDArray fromBuckets;

    private Unpadding(long batch, long seq, int tokens, NDArray realSlots, NDArray slotSources, List<Bucket> buckets,
            NDArray fromBuckets) {
        this.batch = batch;
        this.seq = seq;
        this.tokens = tokens;
        this.realSlots = realSlots;
        this.slotSources = slotSources;
        this.buckets = buckets;
        this.fromBuckets = fromBuckets;
    }

    /**
     * @param additiveMask [batch, 1, 1, seq]: 0 at real tokens, negative at padding (BERT's
     *     extended attention mask)
     */
    public static Unpadding of(NDArray additiveMask) {
        Shape s = additiveMask.getShape();
        int batch = (int) s.get(0);
        int seq = (int) s.get(s.dimension() - 1);
        float[] mask = additiveMask.toFloatArray();
        long[] real = new long[mask.length];
        long[] sources = new long[mask.length];
        int[] lengths = new int[batch];
        int tokens = 0;
        for (int slot = 0; slot < mask.length; slot++) {
            if (mask[slot] == 0f) {
                real[tokens] = slot;
                sources[slot] = tokens++;
                lengths[slot / seq]++;
            } else {
                sources[slot] = -1;
            }
        }
        for (int slot = 0; slot < mask.length; slot++) {
            if (sources[slot] < 0) {
                sources[slot] = tokens; // the zero row appended when unpacking
            }
        }
        NDManager manager = additiveMask.getManager();
        long[] fromBuckets = new long[tokens];
        List<Bucket> buckets = buckets(lengths, fromBuckets, manager);
        return new Unpadding(batch, seq, tokens, manager.create(Arrays.copyOf(real, tokens)), manager.create(sources),
                buckets, manager.create(fromBuckets));
    }

    /**
     * Sorts the sequences by length into up to {@value #BUCKETS} buckets of equal counts, each
     * padded to its longest; fills {@code fromBuckets} with each packed row's place in them.
     */
    private static List<Bucket> buckets(int[] lengths, long[] fromBuckets, NDManager manager) {
        int batch = lengths.length;
        long[] firstRow = new long[batch]; // a sequence's real tokens are consecutive rows of the packing
        for (int b = 1; b < batch; b++) {
            firstRow[b] = firstRow[b - 1] + lengths[b - 1];
        }
        Integer[] order = IntStream.range(0, batch).boxed().sorted(Comparator.comparingInt(b -> lengths[b]))
                .toArray(Integer[]::new);
        int perBucket = (batch + BUCKETS - 1) / BUCKETS;
        List<Bucket> buckets = new ArrayList<>();
        long offset = 0;
        for (int first = 0; first < batch; first += perBucket) {
            int count = Math.min(perBucket, batch - first);
            int length = Math.max(1, lengths[order[first + count - 1]]);
            long[] sources = new long[count * length];
            float[] mask = new float[count * length];
            for (int i = 0; i < count; i++) {
                int b = order[first + i];
                for (int t = 0; t < length; t++) {
                    int at = i * length + t;
                    if (t < lengths[b]) {
                        sources[at] = firstRow[b] + t;
                        fromBuckets[(int) (firstRow[b] + t)] = offset + at;
                    } else {
                        mask[at] = -Float.MAX_VALUE;
                    }
                }
            }
            buckets.add(new Bucket(count, length, manager.create(sources),
                    manager.create(mask, new Shape(count, 1, 1, length))));
            offset += (long) count * length;
        }
        return List.copyOf(buckets);
    }

    /** @return the unpadding of this call, or {@code null} when the call is padded */
    public static Unpadding from(PairList<String, Object> params) {
        return params == null ? null : (Unpadding) params.get(PARAM);
    }

    /** @return {@code params} (may be null) with this unpadding added */
    public PairList<String, Object> addTo(PairList<String, Object> params) {
        PairList<String, Object> with = new PairList<>();
        if (params != null) {
            params.forEach(p -> with.add(p.getKey(), p.getValue()));
        }
        with.add(PARAM, this);
        return with;
    }

    /** @return the sequences laid out for attention, by similar length */
    public List<Bucket> buckets() {
        return buckets;
    }

    /** [batch, seq, hidden] -> [1, tokens, hidden]: the real tokens, row by row. */
    public NDArray pack(NDArray padded) {
        long hidden = padded.getShape().get(2);
        return padded.reshape(batch * seq, hidden).get(realSlots).reshape(1, tokens, hidden);
    }

    /** [1, tokens, hidden] -> [batch, seq, hidden], zeros at the padding. */
    public NDArray unpack(NDArray packed) {
        long hidden = packed.getShape().get(2);
        NDArray rows = packed.reshape(tokens, hidden);
        NDArray withZero = rows.concat(rows.getManager().zeros(new Shape(1, hidden), rows.getDataType()), 0);
        return withZero.get(slotSources).reshape(batch, seq, hidden);
    }

    /** One [sequences, length, width] array per bucket -> [1, tokens, width], in packed order. */
    public NDArray gather(List<NDArray> perBucket) {
        long width = perBucket.get(0).getShape().get(2);
        NDList flat = new NDList();
        perBucket.forEach(a -> flat.add(a.reshape(-1, width)));
        NDArray all = flat.size() == 1 ? flat.head() : NDArrays.concat(flat, 0);
        return all.get(fromBuckets).reshape(1, tokens, width);
    }
}
