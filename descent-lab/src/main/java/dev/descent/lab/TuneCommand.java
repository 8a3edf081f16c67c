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
import dev.descent.data.Split;
import dev.descent.optim.Optimizers;
import dev.descent.optim.problem.Problem;
import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.spec.SpecValues;
import dev.descent.train.TrainConfig;
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
import java.util.function.Consumer;

/**
 * {@code descent tune}: a hyperparameter search over an optimizer search space, on a test problem or by training
 * a model on a data set.
 *
 * <p>With {@code --problem}, the objective of a trial is the final loss after {@code --steps} steps of the sampled
 * optimizer from the problem's default start; the loss at 20 evenly spaced checkpoints is reported for pruning
 * (asynchronous successive halving, by default with rungs at checkpoints 4, 8 and 16 and half the trials going on
 * past each: on Rosenbrock, earlier rungs or eta = 3 stopped the trials that end best, because Adam with high
 * momentum looks poor early). With {@code --data}, a trial trains {@code --model} with the sampled optimizer
 * ({@link TrainingObjective}): the score is the final test loss, or 1 - the final test accuracy with
 * {@code --metric accuracy}, reported after every epoch so that ASHA's rungs are epochs (by default 1, 2, 4, ...).
 *
 * <p>Prints the table of trials and the best trial on stdout; {@code --out DIR} also writes
 * {@code DIR/results.csv} and {@code DIR/report.html} ({@link TuneReport}) and keeps the study file in
 * {@code DIR/study.jsonl}, from which a rerun resumes.
 */
@Command(name = "tune", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Search optimizer hyperparameters on a test problem (--problem) or by training a model (--data).",
                "The space is an optimizer spec with distributions in place of values: uniform(low, high), "
                        + "loguniform(low, high), intuniform(low, high), choice(a, b, ...), e.g. "
                        + "\"adam(lr=loguniform(1e-5, 1e-1), betas=(uniform(0.8, 0.99), 0.999))\" or "
                        + "\"choice(sgd(lr=0.01), adam(lr=0.05))\". A trial's score is the final loss after --steps steps "
                        + "on a problem, the final test loss (or 1 - test accuracy with --metric accuracy) with --data; lower is better. stdout: a table of trials, then 'best: trial=N score=S spec=SPEC'."})
final class TuneCommand implements Callable<Integer> {
    /** Checkpoints per run at which the loss is reported to the pruner. */
    static final int CHECKPOINTS = 20;
    /** The first rung of {@code --pruner asha}, in checkpoints. */
    static final int DEFAULT_ASHA_MIN_RESOURCE = 4;
    /** The reduction factor of {@code --pruner asha}. */
    static final int DEFAULT_ASHA_ETA = 2;
    /** The first rung of {@code --pruner asha} with {@code --data}, in epochs. */
    static final int DEFAULT_ASHA_MIN_EPOCH = 1;
    /** Steps per trial on a problem. */
    static final int DEFAULT_STEPS = 200;

    @CommandLine.Spec
    private CommandSpec spec;

    @Option(names = "--space", required = true, paramLabel = "SPEC", description = "The search space.")
    private String spaceText;

    @Option(names = "--problem", paramLabel = "NAME", description = "The test problem (give it or --data).")
    private String problemName;

    @Option(names = "--steps", paramLabel = "N", description = "With --problem: optimizer steps per trial (default: 200).")
    private Integer steps;

    @Option(names = "--data", paramLabel = "NAME",
            description = "Train on a data set instead (as train's --data: fashion-mnist, blobs(...), spirals(...), csv(...)).")
    private String data;

    @Option(names = "--model", paramLabel = "SPEC", description = "With --data: the model (default: mlp(hidden=[128], dropout=0.2)).")
    private String model;

    @Option(names = "--epochs", paramLabel = "N", description = "With --data: epochs per trial (default: 5).")
    private Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "With --data: examples per step (default: 32).")
    private Integer batchSize;

    @Option(names = "--group", paramLabel = "\"PATTERN: key=value, ...\"",
            description = "With --data: a parameter-group rule for every trial, such as \"bias: weight_decay=0\" (repeatable).")
    private List<String> groups;

    @Option(names = "--metric", paramLabel = "loss|accuracy",
            description = "With --data: the score, the final test loss (default) or 1 - the final test accuracy.")
    private String metricName;

    @Option(names = "--trials", paramLabel = "N", description = "Trials to run (default: ${DEFAULT-VALUE}; grid: at most the grid's size).")
    private int trials = 30;

    @Option(names = "--sampler", paramLabel = "tpe|random|grid", description = "The sampler (default: ${DEFAULT-VALUE}).")
    private String samplerName = "tpe";

    @Option(names = "--grid-points", paramLabel = "N",
            description = "Grid values per uniform or loguniform dimension (default: ${DEFAULT-VALUE}).")
    private int gridPoints = 5;

    @Option(names = "--pruner", paramLabel = "asha|none",
            description = "Stop poor trials early by their score at 20 checkpoints (--problem) or after each epoch (--data): "
                    + "asha or asha(min_resource=C, eta=E) (rungs at checkpoints or epochs C*E^k; default C=4 checkpoints "
                    + "or 1 epoch, E=2), or none (default: ${DEFAULT-VALUE}).")
    private String prunerName = "asha";

    @Option(names = "--seed", paramLabel = "S",
            description = "The seed of the sampler and, with --data, of every trial's weights and shuffles (default: ${DEFAULT-VALUE}).")
    private long seed = 0;

    @Option(names = "--jobs", paramLabel = "N", description = "Trials run at once (default: ${DEFAULT-VALUE}).")
    private int jobs = 2;

    @Option(names = "--study", paramLabel = "FILE",
            description = "The study file (JSON lines); a rerun with the same options resumes from it (default: DIR/study.jsonl with --out).")
    private Path study;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write DIR/results.csv (one row per trial), DIR/report.html with its charts as PNG and SVG, "
                    + "and with --data each trial's run folder under DIR/trials/.")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean training = data != null;
        if (training == (problemName != null)) {
            throw new IllegalArgumentException(training ? "--problem " + problemName + " and --data " + data
                    + ": give one of them, a test problem or a data set to train on"
                    : "give --problem NAME (a test problem) or --data NAME (train a model on a data set)");
        }
        if (training && steps != null) {
            throw new IllegalArgumentException("--steps " + steps + " is for --problem; with --data give --epochs");
        }
        if (!training && (model != null || epochs != null || batchSize != null || metricName != null || groups != null)) {
            String option = model != null ? "--model" : epochs != null ? "--epochs" : batchSize != null ? "--batch-size"
                    : metricName != null ? "--metric" : "--group";
            throw new IllegalArgumentException(option + " is for training: give --data NAME instead of --problem " + problemName);
        }
        SearchSpace space = space(spaceText);
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
        Pruner pruner = pruner(prunerName, training ? DEFAULT_ASHA_MIN_EPOCH : DEFAULT_ASHA_MIN_RESOURCE);
        OptionValues.outputFolder("--out", out);
        Path studyFile = study != null ? OptionValues.outputFile("--study", study) : out == null ? null : out.resolve("study.jsonl");

        Objective objective;
        String description;
        String setup;
        int checkpoint;
        int total;
        if (training) {
            TrainConfig base = trainConfig();
            TrainingObjective.Metric metric = metricName == null ? TrainingObjective.Metric.LOSS : TrainingObjective.Metric.parse(metricName);
            Split split = TrainCommand.loadData(base.data());
            TrainingObjective train = new TrainingObjective(base, split, metric, out == null ? null : out.resolve("trials"));
            validate(space, sampler, train::check);
            objective = train;
            description = train.description();
            setup = base.model() + " on " + base.data() + " (" + split.train().size() + " training, " + split.test().size()
                    + " test examples), " + base.epochs() + " epochs of batch " + base.batchSize()
                    + (base.groupRules().isEmpty() ? "" : ", parameter groups " + String.join("; ", base.groupRules()))
                    + ", scored by " + description.substring(0, description.indexOf(" of "));
            checkpoint = 1;
            total = base.epochs();
        } else {
            Problem problem = problem(problemName);
            int stepCount = steps == null ? DEFAULT_STEPS : steps;
            OptionValues.steps("--steps", stepCount);
            checkpoint = Math.max(1, stepCount / CHECKPOINTS);
            validate(space, sampler, text -> new ProblemRun(problem, problem.defaultInit(), Optimizers.parse(text)));
            int every = checkpoint;
            objective = trial -> {
                ProblemRun run = new ProblemRun(problem, problem.defaultInit(), Optimizers.parse(trial.spec()));
                ProblemRun.Summary summary = run.run(stepCount, (k, loss, point) -> {
                    if (k > 0 && k % every == 0) {
                        trial.report(k / every, loss);
                    }
                });
                return summary.finalLoss();
            };
            description = "final loss on " + problem.id() + " after " + stepCount + " steps, checkpoints every " + checkpoint;
            setup = problem.id() + ", " + stepCount + " steps each, scored by the final loss";
            total = stepCount;
        }
        Units units = new Units(training ? "epochs" : "steps", checkpoint, total);

        PrintWriter err = spec.commandLine().getErr();
        Study search = new Study(space, sampler, pruner, seed, jobs, studyFile).objective(description);
        int resumed = search.readStudyFile().size();
        err.printf(Locale.ROOT, "descent: tune: %d trials of %s on %s, sampler %s, pruner %s, %d jobs%s%n",
                Math.min(trials, sampler.capacity(space)), space.text(), setup, sampler, pruner, jobs,
                resumed == 0 ? "" : "; " + resumed + " trials read back from " + studyFile);
        err.flush();
        long started = System.nanoTime();
        List<TrialRecord> records = search
                .onTrial(r -> {
                    err.printf(Locale.ROOT, "descent: tune: trial %d %s %s %s%n", r.number(), r.state().id(),
                            score(r), r.reason() == null ? r.spec() : r.spec() + " (" + r.reason() + ")");
                    err.flush();
                })
                .optimize(trials, objective);
        Optional<TrialRecord> best = Study.best(records);
        double seconds = (System.nanoTime() - started) / 1e9;

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(table(space, records, best.orElse(null), units));
        stdout.println(best.map(b -> "best: trial=" + b.number() + " score=" + score(b) + " spec=" + b.spec())
                .orElse("best: none (no trial completed)"));
        stdout.flush();
        if (out != null) {
            AtomicFile.write(out.resolve("results.csv"), w -> w.append(csv(space, records, best.orElse(null), units)));
            TuneReport.write(out, new TuneReport.Setup(space, setup, sampler.toString(), pruner.toString(), jobs,
                    seconds, units), records);
        }
        long pruned = records.stream().filter(r -> r.state() == TrialState.PRUNED).count();
        long failed = records.stream().filter(r -> r.state() == TrialState.FAILED).count();
        err.printf(Locale.ROOT, "descent: tune: %d trials (%d pruned, %d failed) in %.2f s%s%n", records.size(), pruned, failed,
                seconds, out == null ? "" : "; wrote " + out.resolve("results.csv") + ", " + out.resolve("report.html")
                        + (studyFile == null ? "" : " and " + studyFile));
        return Main.OK;
    }

    /** How a trial's progress is counted: its unit, the unit count per report and the count of a complete trial. */
    record Units(String name, int perReport, int total) {
        /** What a trial ran: all when it completed, else up to its last report. */
        int run(TrialRecord r) {
            return r.state() == TrialState.COMPLETE ? total : r.lastEpoch() * perReport;
        }
    }

    /** The training settings shared by the trials, from --data, --model, --epochs, --batch-size, --group and --seed. */
    private TrainConfig trainConfig() {
        TrainConfig.Builder b = TrainConfig.builder().data(data).seed(seed);
        if (model != null) {
            b.model(model);
        }
        if (epochs != null) {
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs " + epochs + ": must be 1 or more");
            }
            b.epochs(epochs);
        }
        if (batchSize != null) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size " + batchSize + ": must be 1 or more");
            }
            b.batchSize(batchSize);
        }
        if (groups != null) {
            OptionValues.groupRules("--group", groups);
            b.groupRules(groups);
        }
        return b.build();
    }

    /** {@code none}, or {@code asha} with optional {@code min_resource} (checkpoints) and {@code eta}. */
    private static Pruner pruner(String text, int defaultMinResource) {
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
            long minResource = defaultMinResource;
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
    private static void validate(SearchSpace space, Sampler sampler, Consumer<String> check) {
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
                    check.accept(text);
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
    static String score(TrialRecord r) {
        return Double.isNaN(r.score()) ? "" : Csv.number((float) r.score());
    }

    static List<String> params(SearchSpace space, TrialRecord r) {
        List<String> cells = new ArrayList<>();
        double[] values = r.values();
        for (int i = 0; i < values.length; i++) {
            Object value = space.dimensions().get(i).distribution().object(values[i]);
            cells.add(value instanceof Double d ? Csv.number(d) : value instanceof String s ? s : Spec.render(value));
        }
        return cells;
    }

    private static String table(SearchSpace space, List<TrialRecord> records, TrialRecord best, Units units) {
        List<String> headers = new ArrayList<>(List.of("trial", "state", "score", units.name()));
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
                    Integer.toString(units.run(r))));
            cells.addAll(params(space, r));
            cells.add(r == best ? "*" : "");
            table.add(cells);
        }
        return table.render();
    }

    private static String csv(SearchSpace space, List<TrialRecord> records, TrialRecord best, Units units) {
        StringBuilder b = new StringBuilder("trial,state,score," + units.name());
        space.dimensions().forEach(d -> b.append(',').append(Csv.field(d.name())));
        b.append(",best,spec,reason,seconds\n");
        for (TrialRecord r : records) {
            b.append(r.number()).append(',').append(r.state().id()).append(',').append(score(r)).append(',')
                    .append(units.run(r));
            params(space, r).forEach(p -> b.append(',').append(Csv.field(p)));
            b.append(',').append(r == best).append(',').append(Csv.field(r.spec())).append(',')
                    .append(Csv.field(r.reason() == null ? "" : r.reason())).append(',').append(Csv.number(r.seconds())).append('\n');
        }
        return b.toString();
    }
}
