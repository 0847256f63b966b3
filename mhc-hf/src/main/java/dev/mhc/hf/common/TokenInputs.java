package dev.mhc.hf.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Checks on what a text model is given, before it reaches the engine: the engine's own failures
 * ("index out of range in self") name neither the input nor the size it broke, and masks with
 * values other than 0 and 1 do not fail at all, they turn every output into NaN.
 */
public final class TokenInputs {

    private TokenInputs() {}

    /**
     * @param signature what the model takes, for the message: {@code [input_ids, attention_mask]}
     * @return the first input, checked: integer ids of shape [batch, seq] with at least one token,
     *     each in [0, vocabSize)
     */
    public static NDArray ids(NDList inputs, String model, String signature, long vocabSize) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(model + " takes " + signature + ", got no inputs");
        }
        NDArray ids = inputs.get(0);
        Shape shape = ids.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("input_ids must be 2-D [batch, seq], got shape " + shape
                    + (shape.dimension() == 1 ? ": make one sequence a batch of one" : ""));
        }
        if (!ids.getDataType().isInteger()) {
            throw new IllegalArgumentException("input_ids must hold integer token ids, got " + ids.getDataType());
        }
        if (shape.size() == 0) {
            throw new IllegalArgumentException("input_ids is empty (shape " + shape + "): give at least one token");
        }
        inRange(ids, "input_ids", vocabSize, "vocab_size", "is the tokenizer this model's?");
        return ids;
    }

    /** Every value must lie in [0, size): token ids, token type ids, positions. */
    public static void inRange(NDArray values, String name, long size, String sizeKey, String hint) {
        long min = values.min().toType(DataType.INT64, false).getLong();
        long max = values.max().toType(DataType.INT64, false).getLong();
        if (min < 0 || max >= size) {
            throw new IllegalArgumentException(name + " holds " + (min < 0 ? min : max) + ", outside [0, " + size
                    + ") (" + sizeKey + " " + size + "); " + hint);
        }
    }

    /** Token type ids: integers shaped like the ids, each in [0, typeVocabSize). */
    public static void tokenTypes(NDArray types, NDArray ids, long typeVocabSize) {
        sameShape(types, "token_type_ids", ids);
        if (!types.getDataType().isInteger()) {
            throw new IllegalArgumentException("token_type_ids must hold integers, got " + types.getDataType());
        }
        inRange(types, "token_type_ids", typeVocabSize, "type_vocab_size", "segment ids are 0 and 1 for BERT");
    }

    /**
     * An attention mask: [batch, length] (length is the ids' length, or past plus new tokens with a
     * cache), every value 0 (padding) or 1 (a token).
     */
    public static void mask(NDArray mask, NDArray ids, long length) {
        Shape shape = mask.getShape();
        long batch = ids.getShape().get(0);
        if (shape.dimension() != 2 || shape.get(0) != batch || shape.get(1) != length) {
            throw new IllegalArgumentException("attention_mask has shape " + shape + " but must be (" + batch + ", "
                    + length + "): one value per token" + (length != ids.getShape().get(1)
                            ? ", cached ones included" : "") + ", as input_ids " + ids.getShape());
        }
        NDArray valid = mask.eq(mask.zerosLike()).logicalOr(mask.eq(mask.onesLike()));
        if (!valid.all().getBoolean()) {
            NDArray offending = mask.flatten().get(valid.logicalNot().flatten());
            double value = offending.get(0).toType(DataType.FLOAT64, false).getDouble();
            throw new IllegalArgumentException("attention_mask must hold only 1 (a token) and 0 (padding), got "
                    + (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)));
        }
    }

    private static void sameShape(NDArray array, String name, NDArray ids) {
        if (!array.getShape().equals(ids.getShape())) {
            throw new IllegalArgumentException(name + " has shape " + array.getShape() + " but input_ids has "
                    + ids.getShape() + ": one value per token");
        }
    }
}
