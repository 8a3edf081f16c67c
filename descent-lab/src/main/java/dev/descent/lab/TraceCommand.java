package dev.descent.lab;

import dev.descent.lab.plot.Figure;
import dev.descent.lab.plot.ImageFormat;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.problem.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code descent trace}: walks one or more optimizers down a test problem and writes the path as CSV,
 * {@code step,loss,p0,p1,...}, with N+1 rows per optimizer: row k holds the point after k steps and the
 * loss there. With several optimizers a first column {@code optimizer} holds each spec as written. With
 * {@code --plot} the paths are also drawn over a contour map of the loss, beside the loss per step ({@link TracePlot}).
 */
@Command(name = "trace", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Walk optimizers down a test problem and write the path as CSV.",
                "The header is step,loss,p0,p1,... and row k (k = 0..N) holds the point after k steps and the loss "
                        + "there. With several --optimizer options the runs follow one another and a first column "
                        + "'optimizer' holds each spec as written."})
final class TraceCommand implements Callable<Integer> {
    /** Rows are handed to the output in chunks of about this many characters. */
    private static final int CHUNK = 1 << 16;

    @CommandLine.Spec
    private CommandSpec spec;

    @Option(names = "--problem", required = true, paramLabel = "NAME", description = "The test problem (listed below).")
    private String problemName;

    @Option(names = "--init", paramLabel = "a,b,...", description = "The starting point (default: the problem's own).")
    private String init;

    @Option(names = "--optimizer", required = true, paramLabel = "SPEC",
            description = "An optimizer such as \"adam(lr=0.05)\"; repeat the option to trace several.")
    private List<String> optimizers;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "The number of optimizer steps.")
    private int steps;

    @Option(names = "--out", paramLabel = "F.csv", description = "Write the CSV to this file instead of stdout.")
    private Path out;

    @Option(names = "--plot", paramLabel = "F.png|F.svg", description = "Also draw the paths over a contour map of the "
            + "loss (2-D problems) and the loss per step.")
    private Path plot;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        Problem problem = Problem.byName(problemName);
        float[] start = init == null ? problem.defaultInit() : OptionValues.point("--init", init, problem);
        OptionValues.steps("--steps", steps);
        OptionValues.outputFile("--out", out);
        ImageFormat plotFormat = plot == null ? null : OptionValues.plotFile("--plot", plot);
        List<ProblemRun> runs = new ArrayList<>();
        for (String text : optimizers) {
            OptimizerSpec optimizer = OptionValues.optimizer("--optimizer", text);
            runs.add(new ProblemRun(problem, start, optimizer));
        }

        boolean several = runs.size() > 1;
        List<String> nonFinite = new ArrayList<>();
        List<TracePlot.Run> recorded = new ArrayList<>();
        AtomicFile.Body csv = writer -> {
            recorded.clear();
            writer.write(TraceCsv.header(problem.dimension(), several));
            StringBuilder rows = new StringBuilder(CHUNK + 256);
            for (int r = 0; r < runs.size(); r++) {
                String label = several ? optimizers.get(r) : null;
                float[] losses = plot == null ? null : new float[steps + 1];
                float[][] points = plot == null ? null : new float[steps + 1][];
                ProblemRun.Summary summary = runs.get(r).run(steps, (k, loss, point) -> {
                    if (losses != null) {
                        losses[k] = loss;
                        points[k] = point.clone();
                    }
                    TraceCsv.appendRow(rows, label, k, loss, point);
                    if (rows.length() >= CHUNK) {
                        Csv.flush(rows, writer);
                    }
                });
                if (losses != null) {
                    recorded.add(new TracePlot.Run(optimizers.get(r), losses, points));
                }
                if (summary.firstNonFinite() >= 0) {
                    nonFinite.add(optimizers.get(r) + " from step " + summary.firstNonFinite());
                }
            }
            Csv.flush(rows, writer);
        };
        Csv.emit(spec, out, csv);
        if (plot != null) {
            Figure figure = TracePlot.figure(problem, recorded);
            AtomicFile.writeBytes(plot, o -> figure.writeTo(o, plotFormat));
            spec.commandLine().getErr().println("descent: wrote " + plot);
        }
        if (!nonFinite.isEmpty()) {
            spec.commandLine().getErr().println("descent: warning: non-finite values on " + problem.id() + " ("
                    + String.join("; ", nonFinite) + "); their rows are written as computed");
        }
        return Main.OK;
    }
}
