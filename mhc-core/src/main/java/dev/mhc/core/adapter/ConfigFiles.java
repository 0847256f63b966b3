package dev.mhc.core.adapter;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The config files of saved adapter directories, written and read one way for every kind:
 * snake_case JSON, indented, unknown keys ignored (newer writers may add some); every problem is
 * an IOException that names the file.
 */
public final class ConfigFiles {

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigFiles() {}

    /**
     * @param what how to name the file in errors ("mhc config")
     * @return the file bound to {@code type}, its records' own checks run
     */
    public static <T> T read(Path file, Class<T> type, String what) throws IOException {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (ValueInstantiationException e) {
            Throwable reason = e.getCause() == null ? e : e.getCause();
            throw new IOException(file + " holds invalid settings: " + reason.getMessage(), e);
        } catch (JacksonException e) {
            throw new IOException(file + " is not a valid " + what + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Refuses a file written in another format than this library reads. */
    public static void checkFormat(Path file, String found, String expected) throws IOException {
        if (!expected.equals(found)) {
            throw new IOException(file + " has format \"" + found + "\"; this library reads \"" + expected + "\"");
        }
    }
}
