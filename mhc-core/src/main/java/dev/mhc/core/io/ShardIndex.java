package dev.mhc.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A parsed {@code model.safetensors.index.json}: which shard holds each tensor, in index order.
 *
 * <p>Shard names are confined to the index's directory so a hostile index cannot point elsewhere.
 *
 * @param dir the index's directory, absolute and normalized
 * @param weightMap tensor name to shard file name
 * @param metadata the index's {@code metadata}, values as text
 */
record ShardIndex(Path dir, Map<String, String> weightMap, Map<String, String> metadata) {

    /** Parses and checks {@code index}; does not open the shards. */
    static ShardIndex read(Path index) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(InputFiles.regular(index, "shard index")));
        } catch (JsonProcessingException e) {
            throw bad(index, "not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw bad(index, "not a JSON object", null);
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw bad(index, "no non-empty \"weight_map\" object", null);
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isTextual() || e.getValue().textValue().isEmpty()) {
                throw bad(index, "weight_map maps '" + e.getKey() + "' to " + e.getValue() + " instead of a shard file name",
                        null);
            }
            weightMap.put(e.getKey(), e.getValue().textValue());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.get("metadata");
        if (meta != null && meta.isObject()) {
            // values such as total_size are numbers in the wild; keep them as text
            meta.properties().forEach(e -> metadata.put(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        }
        Path dir = index.toAbsolutePath().normalize().getParent();
        ShardIndex idx = new ShardIndex(dir, weightMap, metadata);
        for (String shard : idx.shards()) {
            boolean inside;
            try {
                inside = idx.resolve(shard).startsWith(dir);
            } catch (InvalidPathException e) {
                inside = false;
            }
            if (!inside) {
                throw bad(index, "weight_map names shard '" + shard + "', which is not a file in the index's directory",
                        null);
            }
        }
        return idx;
    }

    /** Distinct shard file names in order of first appearance. */
    List<String> shards() {
        return weightMap.values().stream().distinct().collect(Collectors.toList());
    }

    Path resolve(String shard) {
        return dir.resolve(shard).normalize();
    }

    private static SafetensorsFormatException bad(Path index, String what, Throwable cause) {
        return new SafetensorsFormatException(index + ": " + what
                + " (corrupt or incomplete shard index; re-download it)", cause);
    }
}
