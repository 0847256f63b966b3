package dev.mhc.cli;

import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.MixingWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mhc report}: the mixing report of saved mhc directories. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write the HTML/PNG/SVG/CSV/JSON mixing report of mhc directories (several: one per"
                + " checkpoint, oldest first).")
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Parameters(arity = "1..*", paramLabel = "MHC_DIR", description = "directories Mhc.save wrote")
    List<Path> dirs;

    @CommandLine.Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<MixingSnapshot> snapshots = new ArrayList<>();
        for (Path dir : dirs) {
            snapshots.add(MixingWeights.extract(dir));
        }
        System.out.println("report: " + dev.mhc.viz.report.Report.write(snapshots, out).html().toAbsolutePath());
        return 0;
    }
}
