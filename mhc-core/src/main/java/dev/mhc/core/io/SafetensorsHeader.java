package dev.mhc.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
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
    /** A header may use at most this fraction of the heap (as bytes; its parsed entries take several times more). */
    private static final long HEAP_SHARE = 16;
    /** Reads one entry of the header's object (the header's own end is checked by hand). */
    private static final ObjectReader ENTRY = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        return read(ch, file, Runtime.getRuntime().maxMemory());
    }

    /**
     * @param heapBytes the heap the parse may use: a header above a sixteenth of it is refused, since
     *     parsing holds its entries (several times its bytes) in memory
     */
    static SafetensorsHeader read(FileChannel ch, String file, long heapBytes) throws IOException {
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
        long heapLimit = heapBytes / HEAP_SHARE;
        if (n > heapLimit) {
            throw fail(file, "header length " + n + " bytes is more than this JVM can parse safely (" + heapLimit
                    + " bytes, a sixteenth of the " + heapBytes / (1 << 20) + " MB heap); real headers are far"
                    + " smaller, so the file is most likely corrupt; if it is not, raise -Xmx");
        }
        long dataLength = size - 8 - n;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        try (JsonParser parser = Json.MAPPER.createParser(utf8(ch, 8, n))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw fail(file, "header is not a JSON object " + NOT_SAFETENSORS);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode value = ENTRY.readTree(parser);
                if (name.equals("__metadata__")) {
                    metadata = metadata(value, file);
                } else {
                    tensors.put(name, entry(name, value, dataLength, file));
                }
            }
            if (parser.nextToken() != null) {
                throw fail(file, "header is not valid JSON: more follows its object " + NOT_SAFETENSORS);
            }
        } catch (CharacterCodingException e) {
            throw fail(file, "header is not valid UTF-8 " + NOT_SAFETENSORS, e);
        } catch (EOFException e) {
            throw fail(file, e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw fail(file, "header is not valid JSON (" + e.getOriginalMessage() + ") " + NOT_SAFETENSORS, e);
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

    /** The {@code length} bytes at {@code position}, decoded as they are read; bad UTF-8 fails. */
    private static Reader utf8(FileChannel ch, long position, long length) {
        InputStream bytes = new InputStream() {
            private long read;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int count) throws IOException {
                if (read == length) {
                    return -1;
                }
                int wanted = (int) Math.min(count, length - read);
                int got = ch.read(ByteBuffer.wrap(into, offset, wanted), position + read);
                if (got < 0) {
                    throw new EOFException("the file ended inside its header (was it changed while being read?)");
                }
                read += got;
                return got;
            }
        };
        return new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
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
