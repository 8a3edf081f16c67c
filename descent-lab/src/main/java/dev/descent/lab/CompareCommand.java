package dev.descent.lab;

import dev.descent.lab.OptionValues.Named;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.problem.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code descent compare}: runs each optimizer on each test problem from the problem's default start and
 * prints a table of the final loss, the distance to the nearest minimum and the first step at which the
 * loss reached 1e-3, marking the best run per problem. (Until the optimizer lab lands, this is what
 * compare compares.)
 */
@Command(name = "compare", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Compare optimizers on the test problems and print a table.",
                "Each run starts at the problem's default point; the table gives its final loss, the distance to the "
                        + "nearest minimum, the first step with loss <= 1e-3, and '*' on the best run per problem "
                        + "(the lowest final loss; ties go to the earlier step to 1e-3)."})
final class CompareCommand implements Callable<Integer> {
    /**
     * The eight classic optimizers, each with one learning rate for all four problems, chosen by a sweep
     * (1e-4 to 10): the rate that does best in 200 steps among those that stay stable over 5000. Plain SGD
     * is bounded by the quadratic's curvature of 1000 (it oscillates at lr=0.002) and diverges on
     * Rosenbrock from lr=0.005; on Rosenbrock Nesterov momentum diverges from 0.0015 and heavy-ball momentum
     * from 0.005, so both run at 0.001 and compare at the same rate (as do Adam and NAdam); the Adam pair
     * at 0.1 and RMSprop at 0.05 do better in 200 steps but then oscillate around the minimum; Adadelta's
     * rate only trades speed against a wider oscillation at the end.
     */
    static final String DEFAULT_OPTIMIZERS = "sgd(lr=0.0015); momentum(lr=0.001); nag(lr=0.001); adagrad(lr=1.0); "
            + "rmsprop(lr=0.02); adadelta(lr=3.0); adam(lr=0.05); nadam(lr=0.05)";

    @CommandLine.Spec
    private CommandSpec spec;

    @Option(names = "--optimizers", paramLabel = "\"SPEC; SPEC...\"",
            description = "The optimizers, separated by ';' (default: the eight classic ones below).")
    private String optimizers = DEFAULT_OPTIMIZERS;

    @Option(names = "--problems", paramLabel = "a,b,...", description = "The problems (default: the classic four, rosenbrock,beale,himmelblau,quadratic).")
    private String problems;

    @Option(names = "--steps", paramLabel = "N", description = "Steps per run (default: ${DEFAULT-VALUE}).")
    private int steps = 200;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write DIR/results.csv and each run's trace as DIR/<problem>-<optimizer>.csv.")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** One run's outcome. */
    private record Result(Problem problem, String optimizer, ProblemRun.Summary summary, double distance, String traceFile) {
    }

    @Override
    public Integer call() throws IOException {
        List<Named<OptimizerSpec>> specs = OptionValues.optimizerList("--optimizers", optimizers);
        List<Problem> chosen = problems == null ? Problem.classic() : OptionValues.problems("--problems", problems);
        OptionValues.steps("--steps", steps);
        OptionValues.outputFolder("--out", out);
        List<ProblemRun> runs = new ArrayList<>();
        for (Problem problem : chosen) {
            for (Named<OptimizerSpec> optimizer : specs) {
                runs.add(new ProblemRun(problem, problem.defaultInit(), optimizer.value()));
            }
        }

        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "descent: compare: %s on %s, %s each%n", count(specs.size(), "optimizer"),
                count(chosen.size(), "problem"), count(steps, "step"));
        long started = System.nanoTime();
        List<Result> results = new ArrayList<>();
        Map<String, Integer> fileNames = new HashMap<>();
        int index = 0;
        for (Problem problem : chosen) {
            for (Named<OptimizerSpec> optimizer : specs) {
                ProblemRun run = runs.get(index++);
                StringBuilder trace = out == null ? null : new StringBuilder(TraceCsv.header(problem.dimension(), false));
                ProblemRun.Summary summary = run.run(steps, (k, loss, point) -> {
                    if (trace != null) {
                        TraceCsv.appendRow(trace, null, k, loss, point);
                    }
                });
                String file = null;
                if (trace != null) {
                    String base = problem.id() + "-" + aliasOrName(optimizer.text());
                    int seen = fileNames.merge(base, 1, Integer::sum);
                    file = (seen == 1 ? base : base + "-" + seen) + ".csv";
                    AtomicFile.write(out.resolve(file), w -> w.append(trace));
                }
                results.add(new Result(problem, optimizer.text(), summary,
                        KnownMinima.distance(problem, summary.finalPoint()), file));
            }
        }

        Set<Result> best = bestPerProblem(results);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(table(results, best));
        stdout.flush();
        if (out != null) {
            AtomicFile.write(out.resolve("results.csv"), w -> w.append(csv(results, best)));
        }

        List<String> nonFinite = new ArrayList<>();
        for (Result r : results) {
            if (r.summary().firstNonFinite() >= 0) {
                nonFinite.add(r.optimizer() + " on " + r.problem().id() + " from step " + r.summary().firstNonFinite());
            }
        }
        if (!nonFinite.isEmpty()) {
            err.println("descent: warning: non-finite values: " + String.join("; ", nonFinite));
        }
        err.printf(Locale.ROOT, "descent: compare: %d runs in %.2f s%s%n", results.size(),
                (System.nanoTime() - started) / 1e9, out == null ? "" : "; wrote " + out.resolve("results.csv") + " and the traces");
        return Main.OK;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The optimizer's name as the spec wrote it, lower-cased, for file names: {@code nag(lr=0.01)} gives {@code nag}. */
    private static String aliasOrName(String text) {
        int paren = text.indexOf('(');
        return (paren < 0 ? text : text.substring(0, paren)).strip().toLowerCase(Locale.ROOT);
    }

    /** The best run of each problem: the lowest finite final loss, then the earliest step to 1e-3, then the smallest distance. */
    private static Set<Result> bestPerProblem(List<Result> results) {
        Comparator<Result> order = Comparator
                .comparingDouble((Result r) -> Float.isFinite(r.summary().finalLoss()) ? r.summary().finalLoss() : Double.POSITIVE_INFINITY)
                .thenComparingInt(r -> r.summary().firstStepAtTarget() < 0 ? Integer.MAX_VALUE : r.summary().firstStepAtTarget())
                .thenComparingDouble(r -> Double.isNaN(r.distance()) ? Double.POSITIVE_INFINITY : r.distance());
        Map<Problem, Result> best = new HashMap<>();
        for (Result r : results) {
            best.merge(r.problem(), r, (a, b) -> order.compare(b, a) < 0 ? b : a);
        }
        Set<Result> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(best.values());
        return set;
    }

    private static String table(List<Result> results, Set<Result> best) {
        TextTable table = new TextTable(List.of("problem", "optimizer", "final_loss", "distance_to_min", "steps_to_1e-3", "best"),
                false, false, true, true, true, false);
        for (Result r : results) {
            table.add(List.of(r.problem().id(), r.optimizer(), Csv.number(r.summary().finalLoss()),
                    Csv.number((float) r.distance()), stepsToTarget(r), best.contains(r) ? "*" : ""));
        }
        return table.render();
    }

    private static String csv(List<Result> results, Set<Result> best) {
        StringBuilder b = new StringBuilder("problem,optimizer,final_loss,distance_to_min,steps_to_1e-3,best,trace\n");
        for (Result r : results) {
            b.append(r.problem().id()).append(',').append(Csv.field(r.optimizer())).append(',')
                    .append(Csv.number(r.summary().finalLoss())).append(',').append(Csv.number((float) r.distance())).append(',')
                    .append(r.summary().firstStepAtTarget() < 0 ? "" : Integer.toString(r.summary().firstStepAtTarget())).append(',')
                    .append(best.contains(r)).append(',').append(Csv.field(r.traceFile())).append('\n');
        }
        return b.toString();
    }

    private static String stepsToTarget(Result r) {
        int step = r.summary().firstStepAtTarget();
        return step < 0 ? "-" : Integer.toString(step);
    }
}
