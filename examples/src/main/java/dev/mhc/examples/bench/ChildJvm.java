package dev.mhc.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A worker {@code main} in a JVM of its own, spoken to one line at a time: for a side that cannot
 * share this JVM (ONNX Runtime) or that needs a fresh process (peak resident memory).
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader replies;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.commands =
                new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code mainClass} with this JVM's classpath entries that {@code keep} accepts, plus
     * the one holding the bench itself, and waits for its first line.
     */
    static ChildJvm start(Class<?> mainClass, Predicate<String> keep, List<String> jvmOptions, String... args)
            throws IOException {
        String self;
        try {
            self = Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the bench's own classes: " + e.getMessage(), e);
        }
        String classpath = Stream.concat(Stream.of(self),
                        Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                                .filter(entry -> !entry.equals(self) && keep.test(entry)))
                .collect(Collectors.joining(java.io.File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ChildJvm child = new ChildJvm(mainClass.getSimpleName(), process);
        child.readLine(); // "ready", once the worker has loaded its model
        return child;
    }

    /** Sends one command and returns the reply's numbers. */
    double[] ask(String command) {
        commands.println(command);
        String reply = readLine();
        return Stream.of(reply.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    private String readLine() {
        try {
            String line = replies.readLine();
            if (line == null) {
                int code = process.waitFor();
                throw new IllegalStateException("the bench worker " + name + " ended with exit code " + code
                        + (code == 137 ? " (killed, most likely by the kernel for lack of memory)" : "")
                        + "; its error output, if any, is above");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the bench worker", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        commands.close();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
