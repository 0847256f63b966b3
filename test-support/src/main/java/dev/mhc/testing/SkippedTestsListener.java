package dev.mhc.testing;

import java.io.PrintStream;
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
        if (skipped.isEmpty()) {
            return;
        }
        PrintStream out = System.out;
        out.println("Skipped tests (" + skipped.size() + "), and why:");
        skipped.forEach(line -> out.println("  SKIPPED " + line));
    }

    private static String name(TestIdentifier test) {
        return test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(m -> m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1) + "." + m.getMethodName()
                        + (test.getDisplayName().startsWith(m.getMethodName()) ? "" : " " + test.getDisplayName()))
                .orElse(test.getDisplayName());
    }
}
