package dev.mhc.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The tensors of one checkpoint, from a single safetensors file or from shards listed in a
 * {@code model.safetensors.index.json}, behind the same API.
 *
 * <p>All shards are opened and cross-checked against the index up front, so a missing shard or
 * a stale index fails at {@link #open} rather than halfway through loading a model.
 */
public final class SafetensorsCheckpoint implements TensorSource {
    /** File name Hugging Face uses for an unsharded checkpoint. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** File name Hugging Face uses for the shard index. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final int LISTED_FILES = 20;

    private final Path source;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> owner;
    private final List<String> names;
    private final Map<String, String> metadata;

    private SafetensorsCheckpoint(Path source, List<SafetensorsFile> files, Map<String, SafetensorsFile> owner,
            Map<String, String> metadata) {
        this.source = source;
        this.files = List.copyOf(files);
        this.owner = Collections.unmodifiableMap(owner);
        this.names = List.copyOf(owner.keySet());
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens a checkpoint from a {@code .safetensors} file, an index {@code .json} file, or a
     * directory holding {@value #SINGLE_FILE} (preferred, as Hugging Face does) or {@value #INDEX_FILE}.
     *
     * @throws NoSuchFileException if the path, a shard, or a checkpoint inside the directory is missing
     * @throws SafetensorsFormatException if a file or the index is malformed or inconsistent
     */
    public static SafetensorsCheckpoint open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(SINGLE_FILE))) {
                return single(path.resolve(SINGLE_FILE));
            }
            if (Files.isRegularFile(path.resolve(INDEX_FILE))) {
                return sharded(path.resolve(INDEX_FILE));
            }
            throw new NoSuchFileException(path.toString(), null, "directory has neither " + SINGLE_FILE
                    + " nor " + INDEX_FILE + "; it contains " + listing(path));
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null,
                    "expected a .safetensors file, an index .json file or a checkpoint directory");
        }
        String fileName = path.getFileName().toString();
        return fileName.endsWith(".json") ? sharded(path) : single(path);
    }

    private static SafetensorsCheckpoint single(Path file) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
        f.names().forEach(n -> owner.put(n, f));
        return new SafetensorsCheckpoint(file, List.of(f), owner, f.metadata());
    }

    private static SafetensorsCheckpoint sharded(Path index) throws IOException {
        ShardIndex idx = ShardIndex.read(index);
        Map<String, SafetensorsFile> byShard = new LinkedHashMap<>();
        try {
            for (String shard : idx.shards()) {
                byShard.put(shard, openShard(index, shard, idx));
            }
            Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : idx.weightMap().entrySet()) {
                SafetensorsFile f = byShard.get(e.getValue());
                if (!f.contains(e.getKey())) {
                    throw misplaced(index, e.getKey(), e.getValue(), byShard);
                }
                owner.put(e.getKey(), f);
            }
            return new SafetensorsCheckpoint(index, new ArrayList<>(byShard.values()), owner, idx.metadata());
        } catch (IOException | RuntimeException | Error e) {
            closeAll(byShard.values(), e);
            throw e;
        }
    }

    private static SafetensorsFile openShard(Path index, String shard, ShardIndex idx) throws IOException {
        Path file = idx.resolve(shard);
        if (!Files.exists(file)) {
            List<String> some = idx.weightMap().entrySet().stream()
                    .filter(e -> e.getValue().equals(shard)).map(Map.Entry::getKey).limit(3)
                    .collect(Collectors.toList());
            throw new NoSuchFileException(file.toString(), null, "shard '" + shard + "' listed in " + index
                    + " (e.g. for " + some + ") is missing; download or copy the missing shard");
        }
        InputFiles.inside(file, idx.dir(), "shard '" + shard + "'");
        return SafetensorsFile.open(file);
    }

    private static SafetensorsFormatException misplaced(Path index, String name, String shard,
            Map<String, SafetensorsFile> byShard) {
        String actual = byShard.entrySet().stream().filter(e -> e.getValue().contains(name))
                .map(e -> "it is in '" + e.getKey() + "'").findFirst().orElse("no shard contains it");
        return new SafetensorsFormatException(index + ": weight_map maps tensor '" + name + "' to shard '"
                + shard + "', but that shard has no such tensor (" + actual
                + "); the index and shards are out of sync, re-download them together");
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> found = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            if (found.isEmpty()) {
                return "nothing";
            }
            String shown = String.join(", ", found.subList(0, Math.min(found.size(), LISTED_FILES)));
            return "[" + shown + (found.size() > LISTED_FILES ? ", ... (" + found.size() + " entries)" : "") + "]";
        }
    }

    private static void closeAll(Iterable<SafetensorsFile> files, Throwable primary) {
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                primary.addSuppressed(e);
            }
        }
    }

    /** The file or index this checkpoint was opened from. */
    public Path source() {
        return source;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return owner.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public float[] readFloats(String name) throws IOException {
        return file(name).readFloats(name);
    }

    @Override
    public double[] readDoubles(String name) throws IOException {
        return file(name).readDoubles(name);
    }

    @Override
    public long[] readLongs(String name) throws IOException {
        return file(name).readLongs(name);
    }

    @Override
    public NDArray load(String name, NDManager manager) throws IOException {
        return file(name).load(name, manager);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "Checkpoint[" + source + ", " + names.size() + " tensors in " + files.size() + " file(s)]";
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = owner.get(name);
        if (f == null) {
            throw Messages.unknownName(source, name, names);
        }
        return f;
    }
}
