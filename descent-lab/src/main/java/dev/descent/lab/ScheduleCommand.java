package dev.descent.lab;

import dev.descent.lab.plot.Figure;
import dev.descent.lab.plot.ImageFormat;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamStore;
import dev.descent.optim.schedule.GroupBase;
import dev.descent.optim.schedule.GroupBase.MomentumKind;
import dev.descent.optim.schedule.Schedule;
import dev.descent.optim.schedule.Scheduler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code descent schedule}: runs a learning-rate schedule alongside an optimizer and writes what the
 * optimizer's group holds as CSV, {@code step,lr,momentum}, with N+1 rows: row k holds the values after k
 * scheduler steps (PyTorch's {@code get_last_lr()} then), that is, what optimizer step k+1 uses.
 *
 * <p>The optimizer is built over one parameter and, as in a training loop, the scheduler's lr (and, when the
 * schedule cycles it, momentum or {@code betas[0]}) is set on the optimizer's group before each row is read
 * back from the group. {@code momentum} is the group's {@code momentum} hyperparameter (SGD, RMSprop) or
 * {@code betas[0]} (the Adam family); it is empty only for optimizers that have neither (Adagrad, Adadelta,
 * Rprop, ASGD). SGD without momentum has {@code momentum = 0}, as in PyTorch, so its column reads 0.0 (and
 * CyclicLR, which cycles it, shows it switched on).
 *
 * <p>With {@code --plot} the same values are also drawn against the step ({@link SchedulePlot}).
 *
 * <p>The whole run is checked before the first byte is written (a OneCycleLR shorter than {@code --steps},
 * a scheduled value the optimizer rejects), so that bad input exits with 2 and no output.
 */
@Command(name = "schedule", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run a learning-rate schedule alongside an optimizer and write its values as CSV.",
                "The header is step,lr,momentum and row k (k = 0..N) holds what the optimizer's group holds after k "
                        + "scheduler steps, that is, what optimizer step k+1 uses. momentum is SGD's or RMSprop's "
                        + "momentum (0 when not given) or beta1 of the Adam family, empty for optimizers with neither."})
final class ScheduleCommand implements Callable<Integer> {
    /** The optimizer when none is given. */
    static final String DEFAULT_OPTIMIZER = "sgd(lr=0.1)";
    /** Rows are handed to the output in chunks of about this many characters. */
    private static final int CHUNK = 1 << 16;
    /** The warning names at most this many steps whose value the optimizer rejects. */
    private static final int MAX_REJECTED = 3;

    /** Receives row k: the learning rate and momentum the optimizer's group holds (NaN momentum for none). */
    @FunctionalInterface
    private interface RowSink {
        void row(int step, double lr, double momentum) throws IOException;
    }

    @CommandLine.Spec
    private CommandSpec spec;

    @Option(names = "--schedule", required = true, paramLabel = "SPEC",
            description = "A schedule such as \"steplr(step_size=10, gamma=0.5)\" (listed below).")
    private String scheduleText;

    @Option(names = "--optimizer", paramLabel = "SPEC", defaultValue = DEFAULT_OPTIMIZER,
            description = "The optimizer whose group the schedule sets (default: ${DEFAULT-VALUE}).")
    private String optimizerText;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "The number of scheduler steps.")
    private int steps;

    @Option(names = "--metrics", paramLabel = "m1,...,mN",
            description = "The metric of each step, for ReduceLROnPlateau only: exactly N numbers.")
    private String metricsText;

    @Option(names = "--out", paramLabel = "F.csv", description = "Write the CSV to this file instead of stdout.")
    private Path out;

    @Option(names = "--plot", paramLabel = "F.png|F.svg",
            description = "Also draw the learning rate (and the momentum when the schedule cycles it) against the step.")
    private Path plot;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        Schedule schedule = OptionValues.schedule("--schedule", scheduleText);
        OptimizerSpec optimizer = OptionValues.optimizer("--optimizer", optimizerText);
        OptionValues.steps("--steps", steps);
        OptionValues.outputFile("--out", out);
        ImageFormat plotFormat = plot == null ? null : OptionValues.plotFile("--plot", plot);
        double[] metrics = metrics(schedule);
        // A dry run over a fresh optimizer finds what can only fail during the run, before anything is written.
        try {
            walk(schedule, optimizer, metrics, new ArrayList<>(), (k, lr, momentum) -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        List<String> rejected = new ArrayList<>();
        double[] lrs = plot == null ? null : new double[steps + 1];
        double[] momenta = plot == null ? null : new double[steps + 1];
        AtomicFile.Body csv = writer -> {
            rejected.clear();
            writer.write("step,lr,momentum\n");
            StringBuilder rows = new StringBuilder(CHUNK + 256);
            walk(schedule, optimizer, metrics, rejected, (k, lr, momentum) -> {
                if (lrs != null) {
                    lrs[k] = lr;
                    momenta[k] = momentum;
                }
                rows.append(k).append(',').append(Csv.number(lr)).append(',');
                if (!Double.isNaN(momentum)) {
                    rows.append(Csv.number(momentum));
                }
                rows.append('\n');
                if (rows.length() >= CHUNK) {
                    Csv.flush(rows, writer);
                }
            });
            Csv.flush(rows, writer);
        };
        Csv.emit(spec, out, csv);
        if (plot != null) {
            Figure figure = SchedulePlot.figure(scheduleText, optimizerText, lrs, schedule.cyclesMomentum() ? momenta : null,
                    momentumName(schedule, optimizer));
            AtomicFile.writeBytes(plot, o -> figure.writeTo(o, plotFormat));
            spec.commandLine().getErr().println("descent: wrote " + plot);
        }
        if (!rejected.isEmpty()) {
            spec.commandLine().getErr().println("descent: warning: --optimizer \"" + optimizerText + "\" rejects the value the "
                    + "schedule sets at " + String.join("; ", rejected) + "; those rows show the schedule's value, as PyTorch does");
        }
        return Main.OK;
    }

    /** The metrics: exactly {@code --steps} of them when the schedule needs them, else none may be given. */
    private double[] metrics(Schedule schedule) {
        if (!schedule.needsMetric()) {
            if (metricsText != null) {
                throw new IllegalArgumentException("--metrics: " + schedule + " takes no metric; give --metrics to "
                        + "reducelronplateau only");
            }
            return null;
        }
        String why = schedule + " needs one metric per step, and --steps is " + steps;
        if (metricsText == null) {
            if (steps == 0) {
                return new double[0];
            }
            throw new IllegalArgumentException("--metrics is missing: " + why + ", e.g. --metrics 1.0,0.9,...");
        }
        return OptionValues.reals("--metrics", metricsText, steps, why);
    }

    /**
     * Runs the schedule over a fresh optimizer for {@code steps} steps, handing rows 0..steps to {@code sink}.
     * A scheduled value the optimizer rejects (a negative lr that OneCycleLR's linear three-phase extrapolation
     * gives at {@code total_steps}, say) is added to {@code rejected} (the first few, then {@code more}), and its row shows the schedule's value, as
     * PyTorch's {@code get_last_lr()} would.
     *
     * @throws IllegalArgumentException when the schedule cannot run that long
     */
    private void walk(Schedule schedule, OptimizerSpec optimizerSpec, double[] metrics, List<String> rejected, RowSink sink)
            throws IOException {
        Optimizer optimizer = optimizerSpec.build(ParamStore.of("w", new float[1]).params());
        ParamGroup group = optimizer.paramGroups().get(0);
        Scheduler scheduler;
        try {
            scheduler = schedule.start(GroupBase.of(optimizer));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule \"" + scheduleText + "\" with --optimizer \"" + optimizerText
                    + "\": " + e.getMessage(), e);
        }
        MomentumKind kind = scheduler.groups().get(0).momentumKind();
        for (int k = 0; ; k++) {
            double lr = scheduler.lr(0);
            double momentum = schedule.cyclesMomentum() ? scheduler.momentum(0) : momentum(group, kind);
            try {
                group.setLr(lr);
                if (schedule.cyclesMomentum()) {
                    setMomentum(group, kind, momentum);
                }
                lr = group.lr();
                momentum = momentum(group, kind);
            } catch (IllegalArgumentException e) {
                // PyTorch's schedulers set the group without checks, so get_last_lr() shows the value: so does the row.
                if (rejected.size() < MAX_REJECTED) {
                    rejected.add("step " + k + " (" + Main.oneLine(e.getMessage()) + ")");
                } else if (rejected.size() == MAX_REJECTED) {
                    rejected.add("more");
                }
            }
            sink.row(k, lr, momentum);
            if (k == steps) {
                return;
            }
            try {
                if (metrics != null) {
                    scheduler.step(metrics[k]);
                } else {
                    scheduler.step();
                }
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("--steps " + steps + ": " + e.getMessage(), e);
            }
        }
    }

    /** What the optimizer calls its momentum: {@code momentum} or {@code beta1}. */
    private static String momentumName(Schedule schedule, OptimizerSpec optimizerSpec) {
        Optimizer optimizer = optimizerSpec.build(ParamStore.of("w", new float[1]).params());
        return schedule.start(GroupBase.of(optimizer)).groups().get(0).momentumKind() == MomentumKind.BETA1 ? "beta1" : "momentum";
    }

    private static void setMomentum(ParamGroup group, MomentumKind kind, double momentum) {
        switch (kind) {
            case MOMENTUM -> group.set("momentum", momentum);
            case BETA1 -> {
                double[] betas = (double[]) group.get("betas");
                betas[0] = momentum;
                group.set("betas", betas);
            }
            case NONE -> {
                // nothing to set: the schedule's start has checked that it cycles no momentum here
            }
        }
    }

    /** The group's momentum or beta1, or NaN when the optimizer has neither. */
    private static double momentum(ParamGroup group, MomentumKind kind) {
        return switch (kind) {
            case MOMENTUM -> group.real("momentum");
            case BETA1 -> group.real("betas", 0);
            case NONE -> Double.NaN;
        };
    }
}
