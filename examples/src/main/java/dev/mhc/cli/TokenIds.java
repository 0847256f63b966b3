package dev.mhc.cli;

import java.util.Arrays;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** "101,2023,102" as token ids. */
final class TokenIds implements ITypeConverter<long[]> {

    @Override
    public long[] convert(String value) {
        return parse(value);
    }

    static long[] parse(String value) {
        try {
            long[] ids = Arrays.stream(value.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
            if (Arrays.stream(ids).anyMatch(id -> id < 0)) {
                throw new TypeConversionException("token ids are not negative: " + value);
            }
            return ids;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("token ids are comma-separated integers, got \"" + value + "\"");
        }
    }
}
