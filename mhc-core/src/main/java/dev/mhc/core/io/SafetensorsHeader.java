package dev.mhc.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fully validated safetensors header.
 *
 * <p>Everything that could make a later read go out of bounds is checked here, once, so the data
 * accessors can trust the offsets: sizes match shapes, and the tensors tile the data section
 * exactly (no overlap, no gap, nothing missing at the end — which is how truncation shows up).
 */
final class SafetensorsHeader {
    /** Same limit as the reference implementation; larger means corruption, not a real model. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String NOT_SAFETENSORS = "(file truncated or not a safetensors file)";
    private static final String CORRUPT = "(corrupt file; re-download or re-export it)";

    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsHeader(long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.dataStart = dataStart;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Absolute file offset of the data section. */
    long dataStart() {
        return dataStart;
    }

    /** Entries in header order. */
    Map<String, TensorInfo> tensors() {
        return tensors;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /** Reads and validates the header of {@code ch}; {@code file} names it in error messages. */
    static SafetensorsHeader read(FileChannel ch, String file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw fail(file, "file is " + size + " bytes, shorter than the 8-byte header length " + NOT_SAFETENSORS);
        }
        long n = readFully(ch, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fail(file, "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes " + NOT_SAFETENSORS);
        }
        if (n > size - 8) {
            throw fail(file, "header length " + n + " exceeds file size " + size + " " + NOT_SAFETENSORS);
        }
        String text = decodeUtf8(readFully(ch, 8, (int) n, file), file);
        JsonNode root = parse(text, file);
        long dataLength = size - 8 - n;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals("__metadata__")) {
                metadata = metadata(e.getValue(), file);
            } else {
                tensors.put(e.getKey(), entry(e.getKey(), e.getValue(), dataLength, file));
            }
        }
        checkCoverage(tensors.values(), dataLength, file);
        return new SafetensorsHeader(8 + n, tensors, metadata);
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length, String file)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw fail(file, "unexpected end of file at byte " + (position + buf.position())
                        + " (was the file changed while being read?)");
            }
        }
        return buf.flip();
    }

    private static String decodeUtf8(ByteBuffer bytes, String file) throws SafetensorsFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(file, "header is not valid UTF-8 " + NOT_SAFETENSORS, e);
        }
    }

    private static JsonNode parse(String text, String file) throws SafetensorsFormatException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw fail(file, "header is not valid JSON (" + e.getOriginalMessage() + ") " + NOT_SAFETENSORS, e);
        }
        if (root == null || !root.isObject()) {
            throw fail(file, "header is not a JSON object " + NOT_SAFETENSORS);
        }
        return root;
    }

    private static Map<String, String> metadata(JsonNode node, String file) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw fail(file, "\"__metadata__\" must be an object of strings " + CORRUPT);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw fail(file, "\"__metadata__\" value of '" + e.getKey() + "' must be a string, got "
                        + e.getValue().getNodeType() + " " + CORRUPT);
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static TensorInfo entry(String name, JsonNode node, long dataLength, String file)
            throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw fail(file, where + " must be an object with dtype, shape and data_offsets " + CORRUPT);
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw fail(file, where + " has " + (dtypeNode == null ? "no" : "a non-string") + " \"dtype\" " + CORRUPT);
        }
        TensorDType dtype = TensorDType.fromSpecName(dtypeNode.textValue())
                .orElseThrow(() -> fail(file, where + " has unsupported dtype '" + dtypeNode.textValue()
                        + "'; supported: " + Arrays.toString(TensorDType.values())
                        + " (convert the checkpoint to one of these)"));
        long[] shape = longs(node, "shape", -1, where, file);
        long[] offsets = longs(node, "data_offsets", 2, where, file);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw fail(file, where + " has data_offsets begin " + begin + " > end " + end + " " + CORRUPT);
        }
        if (end > dataLength) {
            throw fail(file, where + " ends at data offset " + end + ", past the end of the data section ("
                    + dataLength + " bytes) " + NOT_SAFETENSORS);
        }
        long expected = dtype.byteSize();
        try {
            for (long d : shape) {
                expected = Math.multiplyExact(expected, d);
            }
        } catch (ArithmeticException e) {
            throw fail(file, where + " has shape " + Arrays.toString(shape)
                    + " whose byte size overflows " + CORRUPT, e);
        }
        if (end - begin != expected) {
            throw fail(file, where + " has " + (end - begin) + " bytes of data but shape "
                    + Arrays.toString(shape) + " of " + dtype.specName() + " needs " + expected
                    + " " + CORRUPT);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** Reads a JSON array of non-negative integers; {@code count} < 0 means any length. */
    private static long[] longs(JsonNode node, String field, int count, String where, String file)
            throws SafetensorsFormatException {
        JsonNode arr = node.get(field);
        String wanted = count < 0 ? "an array of non-negative integers" : "an array of " + count
                + " non-negative integers";
        if (arr == null || !arr.isArray() || (count >= 0 && arr.size() != count)) {
            throw fail(file, where + " \"" + field + "\" must be " + wanted + ", got "
                    + (arr == null ? "nothing" : arr.toString()) + " " + CORRUPT);
        }
        long[] out = new long[arr.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = arr.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw fail(file, where + " \"" + field + "\" must be " + wanted + ", got " + arr + " "
                        + CORRUPT);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** The spec requires the tensors to tile the data section exactly, in some order. */
    private static void checkCoverage(Collection<TensorInfo> infos, long dataLength, String file)
            throws SafetensorsFormatException {
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < expected) {
                throw fail(file, "tensor '" + t.name() + "' [" + t.begin() + ", " + t.end()
                        + ") overlaps tensor '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ") " + CORRUPT);
            }
            if (t.begin() > expected) {
                throw fail(file, "data bytes [" + expected + ", " + t.begin() + ") before tensor '"
                        + t.name() + "' belong to no tensor " + CORRUPT);
            }
            expected = t.end();
            previous = t;
        }
        if (expected != dataLength) {
            throw fail(file, "data section is " + dataLength + " bytes but the tensors cover only "
                    + expected + " (trailing bytes after the last tensor) " + CORRUPT);
        }
    }

    private static SafetensorsFormatException fail(String file, String what) {
        return new SafetensorsFormatException(file + ": " + what);
    }

    private static SafetensorsFormatException fail(String file, String what, Throwable cause) {
        return new SafetensorsFormatException(file + ": " + what, cause);
    }
}
