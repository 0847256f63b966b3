package dev.mhc.cli;

import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.MixingWeights;
import dev.mhc.core.adapter.AdapterKind;
import dev.mhc.core.adapter.AdapterKinds;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.streams.HyperConnections;
import dev.mhc.viz.streams.ResidualMatrices;
import dev.mhc.viz.streams.StreamsReport;
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
    @CommandLine.Parameters(arity = "1..*", paramLabel = "DIR",
            description = "directories Mhc.save wrote (several: a trajectory), or one HyperConnections.save wrote")
    List<Path> dirs;

    @CommandLine.Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        OutputDirectory.check(out, dirs.stream().map(Path::toString).toList());
        AdapterKind<?, ?> kind = AdapterKinds.of(dirs.get(0));
        if (kind != HyperConnections.kind() && kind != Mhc.kind()) {
            throw new IllegalArgumentException(dirs.get(0) + " holds a " + kind.name() + " save; a report reads history"
                    + " mixing (mhc_config.json) or streams (streams_config.json)");
        }
        if (kind == HyperConnections.kind()) {
            if (dirs.size() > 1) {
                throw new IllegalArgumentException("a streams report takes one streams directory, got " + dirs.size());
            }
            System.out.println("report: " + StreamsReport.write(ResidualMatrices.read(dirs.get(0)), out).toAbsolutePath());
            return 0;
        }
        List<MixingSnapshot> snapshots = new ArrayList<>();
        for (Path dir : dirs) {
            snapshots.add(MixingWeights.extract(dir));
        }
        System.out.println("report: " + dev.mhc.viz.report.Report.write(snapshots, out).html().toAbsolutePath());
        return 0;
    }
}
