package dev.mhc.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, when a module's tests end, one line per skipped test with its reason: surefire counts
 * skipped tests but keeps the reasons in its XML, where nobody reads them. Registered through
 * {@code META-INF/services}, so a module only needs this jar on its test classpath.
 */
public final class SkippedTestsListener implements TestExecutionListener {

    private final List<String> skipped = new ArrayList<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        skipped.add(name(test) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) { // a failed assumption
            String reason = result.getThrowable().map(Throwable::getMessage).orElse("no reason given");
            skipped.add(name(test) + ": " + reason);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        List<String> lines = new ArrayList<>();
        if (!skipped.isEmpty()) {
            lines.add("Skipped tests (" + skipped.size() + "), and why:");
            skipped.forEach(line -> lines.add("  SKIPPED " + line));
            PrintStream out = System.out;
            lines.forEach(out::println);
        }
        record(lines);
    }

    /**
     * Writes the module's list (or that it skipped nothing) to {@code mhc.skipped.file}, when the
     * build names one, so that the last module can repeat every module's list at the very end.
     */
    private static void record(List<String> lines) {
        String file = System.getProperty("mhc.skipped.file");
        if (file == null) {
            return;
        }
        Path path = Path.of(file);
        String module = path.getFileName().toString().replaceFirst("\\.txt$", "");
        List<String> text = lines.isEmpty() ? List.of(module + ": no test skipped") : new ArrayList<>();
        if (!lines.isEmpty()) {
            text.add(module + ": " + lines.get(0));
            text.addAll(lines.subList(1, lines.size()));
        }
        try {
            Files.createDirectories(path.getParent());
            Files.write(path, text);
        } catch (IOException e) {
            System.err.println("could not record the skipped tests in " + path + ": " + e.getMessage());
        }
    }

    private static String name(TestIdentifier test) {
        return test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(m -> m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1) + "." + m.getMethodName()
                        + (test.getDisplayName().startsWith(m.getMethodName()) ? "" : " " + test.getDisplayName()))
                .orElse(test.getDisplayName());
    }
}
