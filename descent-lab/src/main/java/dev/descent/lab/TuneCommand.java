package dev.descent.lab;

import dev.descent.lab.tune.AshaPruner;
import dev.descent.lab.tune.Distribution;
import dev.descent.lab.tune.GridSampler;
import dev.descent.lab.tune.Objective;
import dev.descent.lab.tune.Pruner;
import dev.descent.lab.tune.RandomSampler;
import dev.descent.lab.tune.Sampler;
import dev.descent.lab.tune.SearchSpace;
import dev.descent.lab.tune.Study;
import dev.descent.lab.tune.TpeSampler;
import dev.descent.lab.tune.TrialRecord;
import dev.descent.lab.tune.TrialState;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.optim.problem.Problem;
import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.spec.SpecValues;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code descent tune}: a hyperparameter search over an optimizer search space on a test problem. The
 * objective of a trial is the final loss after {@code --steps} steps of the sampled optimizer from the
 * problem's default start; the loss at 20 evenly spaced checkpoints is reported for pruning (asynchronous
 * successive halving, by default with rungs at checkpoints 4, 8 and 16 and half the trials going on past
 * each: on Rosenbrock, earlier rungs or eta = 3 stopped the trials that end best, because Adam with high
 * momentum looks poor early). Prints the table of
 * trials and the best trial on stdout; {@code --out DIR} also writes {@code DIR/results.csv} and keeps the
 * study file in {@code DIR/study.jsonl}, from which a rerun resumes.
 */
@Command(name = "tune", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Search optimizer hyperparameters on a test problem.",
                "The space is an optimizer spec with distributions in place of values: uniform(low, high), "
                        + "loguniform(low, high), intuniform(low, high), choice(a, b, ...), e.g. "
                        + "\"adam(lr=loguniform(1e-5, 1e-1), betas=(uniform(0.8, 0.99), 0.999))\" or "
                        + "\"choice(sgd(lr=0.01), adam(lr=0.05))\". A trial's score is the final loss after --steps steps "
                        + "(lower is better). stdout: a table of trials, then 'best: trial=N score=S spec=SPEC'."})
final class TuneCommand implements Callable<Integer> {
    /** Checkpoints per run at which the loss is reported to the pruner. */
    static final int CHECKPOINTS = 20;
    /** The first rung of {@code --pruner asha}, in checkpoints. */
    static final int DEFAULT_ASHA_MIN_RESOURCE = 4;
    /** The reduction factor of {@code --pruner asha}. */
    static final int DEFAULT_ASHA_ETA = 2;

    @CommandLine.Spec
    private CommandSpec spec;

    @Option(names = "--space", required = true, paramLabel = "SPEC", description = "The search space.")
    private String spaceText;

    @Option(names = "--problem", required = true, paramLabel = "NAME", description = "The test problem.")
    private String problemName;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps per trial (default: ${DEFAULT-VALUE}).")
    private int steps = 200;

    @Option(names = "--trials", paramLabel = "N", description = "Trials to run (default: ${DEFAULT-VALUE}; grid: at most the grid's size).")
    private int trials = 30;

    @Option(names = "--sampler", paramLabel = "tpe|random|grid", description = "The sampler (default: ${DEFAULT-VALUE}).")
    private String samplerName = "tpe";

    @Option(names = "--grid-points", paramLabel = "N",
            description = "Grid values per uniform or loguniform dimension (default: ${DEFAULT-VALUE}).")
    private int gridPoints = 5;

    @Option(names = "--pruner", paramLabel = "asha|none",
            description = "Stop poor trials early by their loss at 20 checkpoints: asha or asha(min_resource=C, eta=E) "
                    + "(rungs at checkpoints C*E^k; default C=4, E=2), or none (default: ${DEFAULT-VALUE}).")
    private String prunerName = "asha";

    @Option(names = "--seed", paramLabel = "S", description = "The seed (default: ${DEFAULT-VALUE}).")
    private long seed = 0;

    @Option(names = "--jobs", paramLabel = "N", description = "Trials run at once (default: ${DEFAULT-VALUE}).")
    private int jobs = 2;

    @Option(names = "--study", paramLabel = "FILE",
            description = "The study file (JSON lines); a rerun with the same options resumes from it (default: DIR/study.jsonl with --out).")
    private Path study;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write DIR/results.csv, one row per trial.")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Problem problem = problem(problemName);
        SearchSpace space = space(spaceText);
        OptionValues.steps("--steps", steps);
        if (trials < 1) {
            throw new IllegalArgumentException("--trials " + trials + ": run at least 1 trial");
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs " + jobs + ": run at least 1 trial at a time");
        }
        Sampler sampler = switch (samplerName.strip().toLowerCase(Locale.ROOT)) {
            case "tpe" -> new TpeSampler(seed);
            case "random" -> new RandomSampler(seed);
            case "grid" -> {
                if (gridPoints < 1) {
                    throw new IllegalArgumentException("--grid-points " + gridPoints + ": give at least 1 point per dimension");
                }
                yield new GridSampler(gridPoints);
            }
            default -> throw new IllegalArgumentException("--sampler '" + samplerName + "': valid samplers are tpe, random, grid");
        };
        int checkpoint = Math.max(1, steps / CHECKPOINTS);
        Pruner pruner = pruner(prunerName);
        OptionValues.outputFolder("--out", out);
        Path studyFile = study != null ? OptionValues.outputFile("--study", study) : out == null ? null : out.resolve("study.jsonl");
        validate(space, problem, sampler);

        PrintWriter err = spec.commandLine().getErr();
        Objective objective = trial -> {
            ProblemRun run = new ProblemRun(problem, problem.defaultInit(), Optimizers.parse(trial.spec()));
            ProblemRun.Summary summary = run.run(steps, (k, loss, point) -> {
                if (k > 0 && k % checkpoint == 0) {
                    trial.report(k / checkpoint, loss);
                }
            });
            return summary.finalLoss();
        };
        Study search = new Study(space, sampler, pruner, seed, jobs, studyFile)
                .objective("final loss on " + problem.id() + " after " + steps + " steps, checkpoints every " + checkpoint);
        int resumed = search.readStudyFile().size();
        err.printf(Locale.ROOT, "descent: tune: %d trials of %s on %s, %d steps each, sampler %s, pruner %s, %d jobs%s%n",
                Math.min(trials, sampler.capacity(space)), space.text(), problem.id(), steps, sampler, pruner, jobs,
                resumed == 0 ? "" : "; " + resumed + " trials read back from " + studyFile);
        long started = System.nanoTime();
        List<TrialRecord> records = search
                .onTrial(r -> err.printf(Locale.ROOT, "descent: tune: trial %d %s %s %s%n", r.number(), r.state().id(),
                        score(r), r.reason() == null ? r.spec() : r.spec() + " (" + r.reason() + ")"))
                .optimize(trials, objective);
        Optional<TrialRecord> best = Study.best(records);

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(table(space, records, best.orElse(null), checkpoint));
        stdout.println(best.map(b -> "best: trial=" + b.number() + " score=" + score(b) + " spec=" + b.spec())
                .orElse("best: none (no trial completed)"));
        stdout.flush();
        if (out != null) {
            AtomicFile.write(out.resolve("results.csv"), w -> w.append(csv(space, records, best.orElse(null), checkpoint)));
        }
        long pruned = records.stream().filter(r -> r.state() == TrialState.PRUNED).count();
        long failed = records.stream().filter(r -> r.state() == TrialState.FAILED).count();
        err.printf(Locale.ROOT, "descent: tune: %d trials (%d pruned, %d failed) in %.2f s%s%n", records.size(), pruned, failed,
                (System.nanoTime() - started) / 1e9,
                out == null ? "" : "; wrote " + out.resolve("results.csv") + (studyFile == null ? "" : " and " + studyFile));
        return Main.OK;
    }

    /** {@code none}, or {@code asha} with optional {@code min_resource} (checkpoints) and {@code eta}. */
    private static Pruner pruner(String text) {
        Spec parsed;
        try {
            parsed = SpecParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pruner: " + e.getMessage(), e);
        }
        try {
            if (parsed.key().equals("none") && parsed.named().isEmpty() && parsed.positional().isEmpty()) {
                return Pruner.NONE;
            }
            if (!parsed.key().equals("asha")) {
                throw new IllegalArgumentException(Names.unknown("pruner", parsed.name(), List.of("asha", "none")));
            }
            if (!parsed.positional().isEmpty()) {
                throw new IllegalArgumentException("asha takes only key=value arguments (min_resource, eta)");
            }
            long minResource = DEFAULT_ASHA_MIN_RESOURCE;
            long eta = DEFAULT_ASHA_ETA;
            for (var e : parsed.named().entrySet()) {
                switch (e.getKey()) {
                    case "min_resource" -> minResource = SpecValues.toLong("asha", "min_resource", e.getValue());
                    case "eta" -> eta = SpecValues.toLong("asha", "eta", e.getValue());
                    default -> throw new IllegalArgumentException(Names.unknown("key for asha", e.getKey(), List.of("min_resource", "eta")));
                }
            }
            return new AshaPruner((int) Math.min(Integer.MAX_VALUE, minResource), (int) Math.min(Integer.MAX_VALUE, eta));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pruner \"" + text + "\": " + e.getMessage(), e);
        }
    }

    private static Problem problem(String name) {
        try {
            return Problem.byName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--problem: " + e.getMessage(), e);
        }
    }

    private static SearchSpace space(String text) {
        try {
            return SearchSpace.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--space: " + e.getMessage(), e);
        }
    }

    /**
     * Checks before any work that the space gives optimizers: every dimension at each end of its range (every
     * option of a choice), the others at their lower ends, must parse and build on the problem.
     */
    private static void validate(SearchSpace space, Problem problem, Sampler sampler) {
        List<SearchSpace.Dimension> dims = space.dimensions();
        double[] base = new double[dims.size()];
        for (int i = 0; i < base.length; i++) {
            base[i] = corners(dims.get(i).distribution())[0];
        }
        for (int i = 0; i < base.length; i++) {
            for (double corner : corners(dims.get(i).distribution())) {
                double[] values = base.clone();
                values[i] = corner;
                String text = space.render(values);
                try {
                    OptimizerSpec optimizer = Optimizers.parse(text);
                    new ProblemRun(problem, problem.defaultInit(), optimizer);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--space: the space gives \"" + text + "\", which is not a valid optimizer: "
                            + e.getMessage(), e);
                }
            }
        }
        if (sampler instanceof GridSampler grid) {
            grid.capacity(space); // throws for an integer range too wide to enumerate
        }
    }

    private static double[] corners(Distribution d) {
        if (d instanceof Distribution.Choice c) {
            double[] all = new double[c.options().size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        if (d instanceof Distribution.IntUniform u) {
            return new double[]{u.low(), u.high()};
        }
        Distribution.Uniform u = (Distribution.Uniform) d;
        return new double[]{u.low(), u.high()};
    }

    /** A score as the float loss it came from, shortest round-trip form; empty when there is none. */
    private static String score(TrialRecord r) {
        return Double.isNaN(r.score()) ? "" : Csv.number((float) r.score());
    }

    private static List<String> params(SearchSpace space, TrialRecord r) {
        List<String> cells = new ArrayList<>();
        double[] values = r.values();
        for (int i = 0; i < values.length; i++) {
            Object value = space.dimensions().get(i).distribution().object(values[i]);
            cells.add(value instanceof Double d ? Csv.number(d) : value instanceof String s ? s : Spec.render(value));
        }
        return cells;
    }

    private String table(SearchSpace space, List<TrialRecord> records, TrialRecord best, int checkpoint) {
        List<String> headers = new ArrayList<>(List.of("trial", "state", "score", "steps"));
        space.dimensions().forEach(d -> headers.add(d.name()));
        headers.add("best");
        boolean[] right = new boolean[headers.size()];
        right[0] = right[2] = right[3] = true;
        for (int i = 0; i < space.dimensions().size(); i++) {
            right[4 + i] = !(space.dimensions().get(i).distribution() instanceof Distribution.Choice);
        }
        TextTable table = new TextTable(headers, right);
        for (TrialRecord r : records) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.number()), r.state().id(), score(r).isEmpty() ? "-" : score(r),
                    Integer.toString(stepsRun(r, checkpoint))));
            cells.addAll(params(space, r));
            cells.add(r == best ? "*" : "");
            table.add(cells);
        }
        return table.render();
    }

    /** The steps a trial ran: all when it completed, else up to its last checkpoint. */
    private int stepsRun(TrialRecord r, int checkpoint) {
        return r.state() == TrialState.COMPLETE ? steps : r.lastEpoch() * checkpoint;
    }

    private String csv(SearchSpace space, List<TrialRecord> records, TrialRecord best, int checkpoint) {
        StringBuilder b = new StringBuilder("trial,state,score,steps");
        space.dimensions().forEach(d -> b.append(',').append(Csv.field(d.name())));
        b.append(",best,spec,reason,seconds\n");
        for (TrialRecord r : records) {
            b.append(r.number()).append(',').append(r.state().id()).append(',').append(score(r)).append(',')
                    .append(stepsRun(r, checkpoint));
            params(space, r).forEach(p -> b.append(',').append(Csv.field(p)));
            b.append(',').append(r == best).append(',').append(Csv.field(r.spec())).append(',')
                    .append(Csv.field(r.reason() == null ? "" : r.reason())).append(',').append(Csv.number(r.seconds())).append('\n');
        }
        return b.toString();
    }
}
