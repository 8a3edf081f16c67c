package dev.descent.lab;

import dev.descent.optim.GroupRules;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.ParamStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code descent bench step}: times {@link Optimizer#step()} over many parameters after a warm-up and
 * prints, as its last stdout line, {@code step_ms=<median ms> gbps=<effective GB/s>}, where effective
 * GB/s counts the bytes an ideal fused step reads and writes ({@link StepTraffic}).
 *
 * <p>Values and gradients are small seeded random numbers ({@code SplittableRandom(0)}); the gradients
 * stay fixed, so the run measures the step alone. The tensors are named {@code t0}, {@code t1}, ..., which
 * {@code --group} rules match (e.g. {@code --group "t[0-4]$: weight_decay=0"}); effective GB/s counts the
 * bytes of the spec's own values, whatever the groups override.
 */
@Command(name = "step", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Time an optimizer's step() over many parameters.",
                "The last line printed is",
                "  step_ms=<median ms per step> gbps=<effective GB/s>",
                "where effective GB/s counts the bytes an ideal fused step must read and write per parameter "
                        + "(sgd 12, sgd with momentum 20, adam 28, ...)."})
final class BenchStepCommand implements Callable<Integer> {
    /** The least number of warm-up steps, however short the time asked for. */
    private static final int MIN_WARMUP_STEPS = 50;
    /** The longest warm-up, in seconds. */
    private static final double MAX_WARMUP_SECONDS = 2.0;
    /** The least number of timed steps. */
    private static final int MIN_TIMED_STEPS = 10;

    @CommandLine.Spec
    private CommandSpec spec;

    @Option(names = "--optimizer", required = true, paramLabel = "SPEC",
            description = "The optimizer as given, e.g. \"adam(lr=0.001)\".")
    private String optimizer;

    @Option(names = "--group", paramLabel = "RULE",
            description = "Parameter group \"pattern: key=value, ...\": the tensors (named t0, t1, ...) whose name the "
                    + "regular expression finds override the optimizer's values; repeatable, the first matching rule wins.")
    private List<String> groups = new ArrayList<>();

    @Option(names = "--params", paramLabel = "N", description = "Parameters in all (default: ${DEFAULT-VALUE}).")
    private int params = 10_000_000;

    @Option(names = "--tensors", paramLabel = "K", description = "Tensors they are split into (default: ${DEFAULT-VALUE}).")
    private int tensors = 10;

    @Option(names = "--seconds", paramLabel = "S",
            description = "Seconds of timed steps (default: ${DEFAULT-VALUE}); the warm-up lasts as long, at most 2 s, and at least 50 steps.")
    private double seconds = 3;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        OptimizerSpec optimizerSpec = OptionValues.optimizer("--optimizer", optimizer);
        GroupRules rules = OptionValues.groupRules("--group", groups);
        int bytesPerParam = StepTraffic.bytesPerParam(optimizerSpec);
        if (params < 1) {
            throw new IllegalArgumentException("--params " + params + ": must be 1 or more");
        }
        if (tensors < 1 || tensors > params) {
            throw new IllegalArgumentException("--tensors " + tensors + ": must be between 1 and --params (" + params + ")");
        }
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            throw new IllegalArgumentException("--seconds " + seconds + ": must be a finite number above 0");
        }

        PrintWriter err = spec.commandLine().getErr();
        ParamStore store = store(params, tensors);
        Optimizer opt;
        try {
            opt = optimizerSpec.build(store.params(), rules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--group: " + e.getMessage(), e);
        }
        String what = String.format(Locale.ROOT, "%s over %d params in %d tensors (%d bytes/param)%s",
                opt, params, tensors, bytesPerParam,
                rules.isEmpty() ? "" : ", " + opt.paramGroups().size() + " groups by --group " + rules);
        err.println("descent: bench step: " + what);

        double warmupSeconds = Math.min(MAX_WARMUP_SECONDS, seconds);
        long start = System.nanoTime();
        int warmupSteps = 0;
        while (warmupSteps < MIN_WARMUP_STEPS || System.nanoTime() - start < warmupSeconds * 1e9) {
            opt.step();
            warmupSteps++;
        }
        err.printf(Locale.ROOT, "descent: bench step: warmed up with %d steps in %.1f s; timing for %s s%n",
                warmupSteps, (System.nanoTime() - start) / 1e9, seconds);

        long[] times = new long[1024];
        int count = 0;
        start = System.nanoTime();
        long nextReport = start + 1_000_000_000L;
        long now = start;
        while (count < MIN_TIMED_STEPS || now - start < seconds * 1e9) {
            long before = System.nanoTime();
            opt.step();
            now = System.nanoTime();
            if (count == times.length) {
                times = Arrays.copyOf(times, count * 2);
            }
            times[count++] = now - before;
            if (now >= nextReport) {
                err.printf(Locale.ROOT, "descent: bench step: %d steps, median so far %.3f ms%n",
                        count, median(Arrays.copyOf(times, count)) / 1e6);
                nextReport = now + 1_000_000_000L;
            }
        }

        long[] sorted = Arrays.copyOf(times, count);
        Arrays.sort(sorted);
        double medianNanos = median(sorted);
        double stepMs = Math.round(medianNanos) / 1e6;
        double gbps = Math.round((double) bytesPerParam * params / (medianNanos / 1e9) / 1e9 * 1000) / 1000.0;
        err.printf(Locale.ROOT, "descent: bench step: %s: min %.3f ms, median %.3f ms, max %.3f ms over %d steps%n",
                optimizerSpec.name(), sorted[0] / 1e6, medianNanos / 1e6, sorted[count - 1] / 1e6, count);
        PrintWriter out = spec.commandLine().getOut();
        out.println("step_ms=" + stepMs + " gbps=" + gbps);
        out.flush();
        return Main.OK;
    }

    /** K tensors of N/K floats (the remainder in the last), values and gradients small and seeded, gradients defined. */
    static ParamStore store(int params, int tensors) {
        ParamStore.Builder builder = ParamStore.builder();
        int each = params / tensors;
        for (int t = 0; t < tensors; t++) {
            builder.add("t" + t, t == tensors - 1 ? params - each * (tensors - 1) : each);
        }
        ParamStore store = builder.build();
        SplittableRandom random = new SplittableRandom(0);
        float[] data = store.data();
        float[] grad = store.grad();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
            grad[i] = (float) (random.nextDouble() - 0.5) * 0.02f;
        }
        store.markGradsDefined();
        return store;
    }

    /** The median (the mean of the middle two for an even count). */
    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
