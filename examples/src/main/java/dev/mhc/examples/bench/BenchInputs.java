package dev.mhc.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.util.Random;

/**
 * What both sides of a comparison read, built from the JDK alone (the ONNX Runtime worker loads
 * nothing else): the same token ids for the same shape, and the process's peak resident memory.
 */
final class BenchInputs {

    private BenchInputs() {}

    /** @return [batch][seq] ids in BERT's ordinary vocabulary range, the same for every call */
    static long[][] ids(int batch, int seq) {
        Random random = new Random(31L * batch + seq);
        long[][] ids = new long[batch][seq];
        for (long[] row : ids) {
            for (int j = 0; j < seq; j++) {
                row[j] = 1000 + random.nextInt(29000);
            }
        }
        return ids;
    }

    /** @return [batch][seq] filled with {@code value} (attention mask 1, token types 0) */
    static long[][] filled(int batch, int seq, long value) {
        long[][] rows = new long[batch][seq];
        for (long[] row : rows) {
            java.util.Arrays.fill(row, value);
        }
        return rows;
    }

    /** @return the peak resident memory of this process in MB (VmHWM), or NaN off Linux */
    static double peakRssMb() throws IOException {
        return statusMb("VmHWM:");
    }

    /** @return the resident memory of this process in MB (VmRSS), or NaN off Linux */
    static double rssMb() throws IOException {
        return statusMb("VmRSS:");
    }

    private static double statusMb(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return Double.NaN;
        }
        List<String> lines = Files.readAllLines(status);
        for (String line : lines) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
