package dev.mhc.hf.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mhc.core.io.AtomicDirectory;
import dev.mhc.core.io.SafetensorsCheckpoint;
import dev.mhc.core.io.SafetensorsWriter;
import dev.mhc.core.io.TensorDType;
import dev.mhc.core.io.TensorSource;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The embedded model's import kept as safetensors, so that later runs skip parsing its 90 MB ONNX
 * export (about 1 s of the 1.3 s {@code AutoModel.miniLm()} took). The cache is keyed by the jar
 * that carries the export (path, size, time), written as one unit, and rebuilt whenever it cannot
 * be read. It lives in {@code mhc.cache.dir}/imports when that property is set (the build and
 * {@code ./mhc} set it to {@code target/cache}), else in {@code ~/.cache/mhc-java/imports}.
 */
public final class ImportCache {

    static final String WEIGHTS = "model.safetensors";
    static final String CONFIG = "onnx_config.json";
    /** Bump when what is cached changes meaning. */
    private static final String FORMAT = "1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A config and tensors to build a {@code BertModel} from; close it once loaded. */
    public record Entry(OnnxBertConfig config, TensorSource tensors) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            tensors.close();
        }
    }

    private ImportCache() {}

    /** @return the export at {@code resource}, from the cache when it holds it, else imported (and cached) */
    public static Entry resource(String resource) throws IOException {
        Path dir = directory(resource);
        if (dir != null) {
            Entry cached = read(dir);
            if (cached != null) {
                return cached;
            }
        }
        OnnxBertImport imported = OnnxBertImport.fromResource(resource);
        if (dir != null) {
            try {
                write(dir, imported);
                Entry cached = read(dir);
                if (cached != null) {
                    return cached;
                }
            } catch (IOException e) {
                // an unwritable cache costs time, not correctness: use the import as it is
            }
        }
        return new Entry(imported.config(), imported.tensors());
    }

    private static Entry read(Path dir) {
        try {
            if (!Files.isRegularFile(dir.resolve(CONFIG)) || !Files.isRegularFile(dir.resolve(WEIGHTS))) {
                return null;
            }
            OnnxBertConfig config = JSON.readValue(dir.resolve(CONFIG).toFile(), OnnxBertConfig.class);
            return new Entry(config, SafetensorsCheckpoint.open(dir.resolve(WEIGHTS)));
        } catch (IOException | RuntimeException e) {
            return null; // damaged: imported again and rewritten
        }
    }

    private static void write(Path dir, OnnxBertImport imported) throws IOException {
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        TensorSource tensors = imported.tensors();
        for (String name : tensors.names()) {
            TensorDType dtype = tensors.info(name).dtype();
            if (dtype == TensorDType.F32 || dtype == TensorDType.F16 || dtype == TensorDType.BF16) {
                data.put(name, tensors.readFloats(name)); // the rest (position_ids) no BertModel parameter reads
                shapes.put(name, tensors.info(name).shape());
            }
        }
        AtomicDirectory.replace(dir, Set.of(WEIGHTS, CONFIG), staging -> {
            SafetensorsWriter.writeFloats(staging.resolve(WEIGHTS), data, shapes, Map.of("source", imported.source()));
            Files.write(staging.resolve(CONFIG), JSON.writeValueAsBytes(imported.config()));
        });
    }

    /** @return where the resource's import is cached, or {@code null} when it cannot be named */
    private static Path directory(String resource) {
        try {
            URL url = ImportCache.class.getClassLoader().getResource(resource);
            if (url == null) {
                return null;
            }
            URLConnection connection = url.openConnection();
            String origin = connection instanceof JarURLConnection jar
                    ? jar.getJarFileURL() + " " + Files.size(Path.of(jar.getJarFileURL().toURI()))
                            + " " + Files.getLastModifiedTime(Path.of(jar.getJarFileURL().toURI()))
                    : url + " " + connection.getContentLengthLong() + " " + connection.getLastModified();
            String property = System.getProperty("mhc.cache.dir");
            Path root = property != null ? Path.of(property)
                    : Path.of(System.getProperty("user.home"), ".cache", "mhc-java");
            return root.resolve("imports").resolve(resource.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + digest(origin));
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((FORMAT + " " + text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
