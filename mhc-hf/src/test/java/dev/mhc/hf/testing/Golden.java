package dev.mhc.hf.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** A fixture folder and its {@code golden.json}: the tensors Hugging Face computed. */
public final class Golden {

    private final Path dir;
    private final JsonNode root;

    private Golden(Path dir, JsonNode root) {
        this.dir = dir;
        this.root = root;
    }

    /** @param name a folder under the test resources' {@code fixtures/} */
    public static Golden fixture(String name) {
        try {
            Path dir = Path.of(Golden.class.getResource("/fixtures/" + name).toURI());
            return new Golden(dir, new ObjectMapper().readTree(dir.resolve("golden.json").toFile()));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read fixture " + name, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public NDArray input(String name, NDManager manager) {
        return tensor(root.get("inputs").get(name), manager);
    }

    public NDArray output(String name, NDManager manager) {
        return tensor(root.get("outputs").get(name), manager);
    }

    private static NDArray tensor(JsonNode node, NDManager manager) {
        JsonNode shapeNode = node.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        JsonNode data = node.get("data");
        if ("int64".equals(node.get("dtype").asText())) {
            long[] values = new long[data.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = data.get(i).asLong();
            }
            return manager.create(values, new Shape(shape));
        }
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) data.get(i).asDouble();
        }
        return manager.create(values, new Shape(shape));
    }

    /** @return max |a - b|, after checking the shapes agree */
    public static float maxAbsDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shapes differ: " + a.getShape() + " vs " + b.getShape());
        }
        return a.sub(b).abs().max().getFloat();
    }
}
