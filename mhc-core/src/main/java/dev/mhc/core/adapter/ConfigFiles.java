package dev.mhc.core.adapter;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mhc.core.io.InputFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The config files of this library's own saved directories ({@code mhc_config.json}, {@code
 * streams_config.json}, ...), written and read one way for every kind: snake_case JSON, indented,
 * unknown keys refused (this library wrote the file: a key it does not know is a mistake, or a newer
 * version's setting); every problem is an IOException that names the file. PEFT's adapter config
 * is read key by key instead ({@code PeftAdapterConfig}).
 */
public final class ConfigFiles {

    /** Numbers must be numbers: "4" or 4.7 where an integer belongs is refused, not coerced. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION) // which value is meant?
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private ConfigFiles() {}

    /**
     * @param what how to name the file in errors ("mhc config")
     * @return the file bound to {@code type}, its records' own checks run
     */
    public static <T> T read(Path file, Class<T> type, String what) throws IOException {
        InputFiles.regular(file, what);
        T value;
        try {
            value = JSON.readValue(file.toFile(), type);
        } catch (ValueInstantiationException e) {
            Throwable reason = e.getCause() == null ? e : e.getCause();
            throw new IOException(file + " holds invalid settings: " + reason.getMessage(), e);
        } catch (JacksonException e) {
            throw new IOException(file + " is not a valid " + what + ": " + at(e) + e.getOriginalMessage(), e);
        }
        if (value == null) {
            throw new IOException(file + " is not a valid " + what + ": it holds null, not an object");
        }
        return value;
    }

    /** Where in the file the problem is ("settings.max_history: "), when Jackson knows. */
    private static String at(JacksonException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : mapping.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path + ": ";
    }

    /** Refuses a file written in another format than this library reads. */
    public static void checkFormat(Path file, String found, String expected) throws IOException {
        if (!expected.equals(found)) {
            throw new IOException(file + " has format \"" + found + "\"; this library reads \"" + expected + "\"");
        }
    }
}
