package dev.mhc.hf.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a fixture's config.json into a family's config record. */
public final class Configs {

    private Configs() {}

    public static <C> C read(Path dir, Class<C> type) throws IOException {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(dir.resolve("config.json").toFile(), type);
    }
}
