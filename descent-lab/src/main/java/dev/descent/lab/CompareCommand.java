package dev.descent.lab;

import dev.descent.data.DataDirs;
import dev.descent.data.MnistFamily;
import dev.descent.data.Split;
import dev.descent.lab.OptionValues.Named;
import dev.descent.lab.plot.Figure;
import dev.descent.lab.plot.ImageFormat;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.problem.Problem;
import dev.descent.train.TrainConfig;
import dev.descent.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code descent compare}: trains one model with each of several optimizers, over several seeds, and writes a
 * report; or, with {@code --problem}, runs the optimizers on test problems and prints a table.
 *
 * <p>On a training task (the default: the tutorial MLP on Fashion-MNIST, or a synthetic set when Fashion-MNIST
 * is not installed) every optimizer trains the model once per seed ({@link TrainingComparison}); the output
 * folder gets each run's {@code history.csv} and {@code summary.json} in a sub-folder, {@code results.csv}, the
 * charts as PNG and SVG, and {@code report.html} ({@link CompareReport}); stdout gets the results table.
 *
 * <p>On test problems each run starts at the problem's default point; the table gives its final loss, the
 * distance to the nearest minimum and the first step at which the loss reached 1e-3, marking the best run per
 * problem; {@code --out} also writes {@code results.csv}, each trace, the trace pictures and a report.
 */
@Command(name = "compare", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Compare optimizers: train a model with each over several seeds and write a report (default), "
                + "or run them on test problems (--problem) and print a table.",
                "Training: writes DIR/<run>/history.csv and summary.json, DIR/results.csv, charts and DIR/report.html; "
                        + "prints one row per optimizer (mean over seeds) on stdout, progress on stderr.",
                "Problems: each run starts at the problem's default point; the table gives its final loss, the distance to the "
                        + "nearest minimum, the first step with loss <= 1e-3, and '*' on the best run per problem "
                        + "(the lowest final loss; ties go to the earlier step to 1e-3)."})
final class CompareCommand implements Callable<Integer> {
    /** The classic optimizers with the tutorials' learning rates, compared on a training task by default. */
    static final String DEFAULT_OPTIMIZERS = "sgd(lr=0.01); momentum(lr=0.01); nag(lr=0.01); adagrad(lr=0.01); "
            + "rmsprop(lr=0.001); adadelta(lr=1.0); adam(lr=0.001); nadam(lr=0.002)";

    /**
     * The eight classic optimizers, each with one learning rate for all four problems, chosen by a sweep
     * (1e-4 to 10): the rate that does best in 200 steps among those that stay stable over 5000. Plain SGD
     * is bounded by the quadratic's curvature of 1000 (it oscillates at lr=0.002) and diverges on
     * Rosenbrock from lr=0.005; on Rosenbrock Nesterov momentum diverges from 0.0015 and heavy-ball momentum
     * from 0.005, so both run at 0.001 and compare at the same rate (as do Adam and NAdam); the Adam pair
     * at 0.1 and RMSprop at 0.05 do better in 200 steps but then oscillate around the minimum; Adadelta's
     * rate only trades speed against a wider oscillation at the end.
     */
    static final String PROBLEM_OPTIMIZERS = "sgd(lr=0.0015); momentum(lr=0.001); nag(lr=0.001); adagrad(lr=1.0); "
            + "rmsprop(lr=0.02); adadelta(lr=3.0); adam(lr=0.05); nadam(lr=0.05)";

    /** The model compared by default: the tutorial MLP. */
    static final String DEFAULT_MODEL = "mlp(hidden=[128], dropout=0.2)";

    /**
     * The task when Fashion-MNIST is not installed: ten overlapping Gaussian blobs in 32 dimensions, hard enough
     * that the optimizers differ within a few epochs.
     */
    static final String SYNTHETIC_DATA = "blobs(n=6000, classes=10, dims=32, std=9.0)";

    /** The default target accuracy on Fashion-MNIST (the tutorial MLP ends its fifth epoch around 0.87). */
    static final double FASHION_TARGET = 0.85;

    @CommandLine.Spec
    private CommandSpec spec;

    @Option(names = "--optimizers", paramLabel = "\"SPEC; SPEC...\"",
            description = "The optimizers, separated by ';' (default: the eight classic ones below).")
    private String optimizers;

    @Option(names = "--data", paramLabel = "NAME",
            description = "The data set, as for train (default: fashion-mnist when installed, else " + SYNTHETIC_DATA + ").")
    private String data;

    @Option(names = "--model", paramLabel = "SPEC", description = "The model (default: " + DEFAULT_MODEL + ").")
    private String model;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run (default: 5).")
    private Integer epochs;

    @Option(names = "--seeds", paramLabel = "N", description = "Runs per optimizer, with seeds 0 to N-1 (default: 3).")
    private Integer seeds;

    @Option(names = "--batch-size", paramLabel = "B", description = "Examples per step (default: 32).")
    private Integer batchSize;

    @Option(names = "--schedule", paramLabel = "SPEC", description = "A learning-rate schedule for every run, stepped per epoch.")
    private String schedule;

    @Option(names = "--schedule-every", paramLabel = "epoch|batch", description = "When the schedule steps (default: epoch).")
    private String scheduleEvery;

    @Option(names = "--group", paramLabel = "\"PATTERN: key=value, ...\"",
            description = "A parameter-group rule for every run, such as \"bias: weight_decay=0\" (repeatable).")
    private List<String> groups;

    @Option(names = "--target", paramLabel = "ACC",
            description = "The test accuracy whose first epoch the report gives (default: 0.85 on Fashion-MNIST, else 95%% of the "
                    + "best optimizer's mean final accuracy).")
    private Double target;

    @Option(names = "--jobs", paramLabel = "N", description = "Runs at a time (default: the number of cores).")
    private Integer jobs;

    @Option(names = "--force", description = "Write into an --out folder that is not empty (replacing the files of the same names).")
    private boolean force;

    @Option(names = {"--problem", "--problems"}, paramLabel = "a,b,...",
            description = "Run on these test problems instead of training (e.g. rosenbrock, or classic for the classic four).")
    private String problems;

    @Option(names = "--steps", paramLabel = "N", description = "With --problem: steps per run (default: 200).")
    private Integer steps;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The output folder (default: runs/compare-<date>-<time>; with --problem, nothing is written without it).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** One run's outcome. */
    private record Result(Problem problem, String optimizer, ProblemRun.Summary summary, double distance, String traceFile) {
    }

    @Override
    public Integer call() throws IOException {
        return problems != null ? compareProblems() : compareTraining();
    }

    // ----- training -----

    private Integer compareTraining() {
        PrintWriter err = spec.commandLine().getErr();
        if (steps != null) {
            throw new IllegalArgumentException("--steps applies to --problem runs; a training comparison takes --epochs");
        }
        List<Named<OptimizerSpec>> specs = OptionValues.optimizerList("--optimizers", optimizers == null ? DEFAULT_OPTIMIZERS : optimizers);
        int seedCount = positive("--seeds", seeds, 3);
        int jobCount = positive("--jobs", jobs, Runtime.getRuntime().availableProcessors());
        if (target != null && !(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("--target " + target + ": must be a test accuracy in (0, 1]");
        }
        TrainConfig.Builder b = TrainConfig.builder().model(model == null ? DEFAULT_MODEL : model)
                .epochs(positive("--epochs", epochs, 5)).batchSize(positive("--batch-size", batchSize, 32));
        if (scheduleEvery != null && schedule == null) {
            throw new IllegalArgumentException("--schedule-every " + scheduleEvery + ": give a --schedule to step");
        }
        if (schedule != null) {
            OptionValues.schedule("--schedule", schedule);
            try {
                b.schedule(schedule, scheduleEvery == null ? TrainConfig.ScheduleEvery.EPOCH : TrainConfig.ScheduleEvery.parse(scheduleEvery));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--schedule-every: " + e.getMessage(), e);
            }
        }
        if (groups != null) {
            OptionValues.groupRules("--group", groups);
            b.groupRules(groups);
        }
        Path folder = out != null ? out : Path.of("runs", "compare-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        checkFolder(folder);

        String dataSpec = data != null ? data : defaultData(DataDirs.fromEnvironment());
        boolean fallback = data == null && dataSpec.equals(SYNTHETIC_DATA);
        Split split = TrainCommand.loadData(dataSpec);
        TrainConfig base = b.data(dataSpec).build();
        List<String> texts = specs.stream().map(Named::text).toList();
        List<TrainingComparison.Run> runs = TrainingComparison.plan(texts, seedCount, base);
        // Every spec meets the model and data once before any training, so that bad input stops here.
        for (TrainingComparison.Run run : runs) {
            if (run.seed() == 0) {
                try {
                    new Trainer(run.config(), split);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--optimizers \"" + run.optimizer() + "\" with --model " + base.model()
                            + " on " + dataSpec + ": " + e.getMessage(), e);
                }
            }
        }
        if (fallback) {
            err.println(FALLBACK_HINT);
        }
        String dataNote = (fallback ? "Fashion-MNIST not found, " : "") + split.train().size() + " training and "
                + split.test().size() + " test examples";
        createFolder(folder);
        if (force) {
            for (TrainingComparison.Run run : runs) {
                deleteTree(folder.resolve(run.name()));
            }
        }
        int parallel = Math.min(jobCount, runs.size());
        err.printf(Locale.ROOT, "descent: compare: %s x %s on %s with %s, %s of batch %d: %d runs, %d at a time -> %s%n",
                count(specs.size(), "optimizer"), count(seedCount, "seed"), dataSpec, base.model(), count(base.epochs(), "epoch"),
                base.batchSize(), runs.size(), parallel, folder);
        long started = System.nanoTime();
        List<TrainingComparison.Outcome> outcomes = new TrainingComparison(runs, split, parallel, err).run(folder);
        double seconds = (System.nanoTime() - started) / 1e9;

        double chosenTarget;
        String targetNote;
        List<CompareReport.Row> rows;
        if (!split.train().isClassification()) {
            chosenTarget = Double.NaN;
            targetNote = "regression: no accuracy";
        } else if (target != null) {
            chosenTarget = target;
            targetNote = "--target";
        } else if (dataSpec.equalsIgnoreCase(MnistFamily.FASHION_MNIST.id())) {
            chosenTarget = FASHION_TARGET;
            targetNote = "the default on Fashion-MNIST";
        } else {
            double best = CompareReport.rows(texts, outcomes, 2).stream().mapToDouble(r -> r.accuracy()[0])
                    .filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
            chosenTarget = Double.isNaN(best) ? 1 : Math.floor(95 * best) / 100;
            targetNote = "95% of the best mean final accuracy";
        }
        rows = CompareReport.rows(texts, outcomes, chosenTarget);
        AtomicFile.write(folder.resolve("results.csv"), w -> w.append(CompareReport.resultsCsv(outcomes)));
        for (TrainingComparison.Outcome o : outcomes) {
            Path summary = folder.resolve(o.run().name()).resolve("summary.json");
            if (!Files.exists(summary)) { // the trainer broke down before writing one
                AtomicFile.write(summary, w -> w.append(failedSummary(o)));
            }
        }
        List<CompareReport.Chart> charts = CompareReport.charts(rows, !Double.isNaN(chosenTarget));
        List<byte[]> pngs = CompareReport.writeCharts(folder, charts);
        CompareReport.Setup setup = new CompareReport.Setup(dataSpec, dataNote, base.model(), base.epochs(), base.batchSize(),
                seedCount, schedule, groups == null ? List.of() : groups, chosenTarget, targetNote, parallel, seconds);
        AtomicFile.write(folder.resolve("report.html"), w -> w.append(CompareReport.html(setup, rows, outcomes, charts, pngs)));

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(trainingTable(rows, chosenTarget));
        stdout.flush();
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        err.printf(Locale.ROOT, "descent: compare: %d runs in %s%s; report: %s%n", outcomes.size(),
                TrainingComparison.duration(seconds), failed == 0 ? "" : " (" + failed + " failed)", folder.resolve("report.html"));
        return Main.OK;
    }

    /** The line on stderr when Fashion-MNIST is missing and the comparison falls back to the synthetic task. */
    static final String FALLBACK_HINT = "descent: compare: Fashion-MNIST is not installed, comparing on " + SYNTHETIC_DATA
            + " instead; get it with: apt-get install dataset-fashion-mnist, or ./descent data fetch fashion-mnist";

    /** The data compared on when --data is not given: Fashion-MNIST when {@code dirs} hold it, else {@link #SYNTHETIC_DATA}. */
    static String defaultData(DataDirs dirs) {
        return MnistFamily.FASHION_MNIST.locate(dirs).isPresent() ? MnistFamily.FASHION_MNIST.id() : SYNTHETIC_DATA;
    }

    private static int positive(String option, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException(option + " " + value + ": must be 1 or more");
        }
        return value;
    }

    /**
     * Checks the output folder without touching it: refuses a file, a folder that holds something (unless
     * --force), and a folder that cannot be written or created.
     */
    private void checkFolder(Path folder) {
        OptionValues.outputFolder("--out", folder);
        if (Files.isDirectory(folder) && !force) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + folder + ": the folder is not empty; give another folder, or --force "
                            + "to write into it");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--out " + folder + ": cannot be read: " + Main.describe(e), e);
            }
        }
        Path existing = folder.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException("--out " + folder + ": cannot be created, " + existing + " is a file, not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException("--out " + folder + ": cannot be written, the folder " + existing + " is not writable");
        }
    }

    /** Creates the checked output folder. */
    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + folder + ": cannot be created: " + Main.describe(e), e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--force: cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String failedSummary(TrainingComparison.Outcome o) {
        TrainConfig c = o.run().config();
        return "{\n  \"optimizer\": " + jsonString(c.optimizer()) + ",\n  \"model\": " + jsonString(c.model())
                + ",\n  \"data\": " + jsonString(c.data()) + ",\n  \"seed\": " + c.seed() + ",\n  \"epochs\": " + c.epochs()
                + ",\n  \"batch_size\": " + c.batchSize() + ",\n  \"final_test_accuracy\": null,\n  \"final_test_loss\": null,"
                + "\n  \"median_epoch_seconds\": null,\n  \"samples_per_second\": null,\n  \"status\": \"failed\",\n  \"reason\": "
                + jsonString(o.result().reason()) + "\n}\n";
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : (s == null ? "" : s).toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The table on stdout: one row per optimizer, means over seeds; no accuracy columns for regression (target NaN). */
    private static String trainingTable(List<CompareReport.Row> rows, double target) {
        boolean accuracy = !Double.isNaN(target);
        List<String> headers = new ArrayList<>(List.of("optimizer"));
        if (accuracy) {
            headers.addAll(List.of("test_acc", "test_acc_sd"));
        }
        headers.addAll(List.of("test_loss", "epoch_s"));
        if (accuracy) {
            headers.add("epochs_to_" + CompareReport.fmt(target, 2));
        }
        headers.add("runs");
        boolean[] right = new boolean[headers.size()];
        java.util.Arrays.fill(right, 1, right.length - 1, true);
        TextTable table = new TextTable(headers, right);
        for (CompareReport.Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.optimizer()));
            if (accuracy) {
                cells.addAll(List.of(CompareReport.fmt(r.accuracy()[0], 4), CompareReport.fmt(r.accuracy()[1], 4)));
            }
            cells.addAll(List.of(CompareReport.fmt(r.loss()[0], 4), CompareReport.fmt(r.epochSeconds(), 2)));
            if (accuracy) {
                cells.add(r.reached() == 0 ? "-" : CompareReport.fmt(r.epochsToTarget(), 1));
            }
            cells.add(r.ok().size() + " ok" + (r.failed() > 0 ? ", " + r.failed() + " failed" : ""));
            table.add(cells);
        }
        return table.render().replace("–", "-");
    }

    // ----- test problems -----

    private Integer compareProblems() throws IOException {
        List<String> trainingOnly = new ArrayList<>();
        addIf(trainingOnly, data != null, "--data");
        addIf(trainingOnly, model != null, "--model");
        addIf(trainingOnly, epochs != null, "--epochs");
        addIf(trainingOnly, seeds != null, "--seeds");
        addIf(trainingOnly, batchSize != null, "--batch-size");
        addIf(trainingOnly, schedule != null || scheduleEvery != null, "--schedule");
        addIf(trainingOnly, groups != null, "--group");
        addIf(trainingOnly, target != null, "--target");
        addIf(trainingOnly, jobs != null, "--jobs");
        if (!trainingOnly.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", trainingOnly) + " applies to training comparisons, not to --problem runs");
        }
        List<Named<OptimizerSpec>> specs = OptionValues.optimizerList("--optimizers", optimizers == null ? PROBLEM_OPTIMIZERS : optimizers);
        List<Problem> chosen = problems.strip().equalsIgnoreCase("classic") ? Problem.classic() : OptionValues.problems("--problem", problems);
        int steps = OptionValues.steps("--steps", this.steps == null ? 200 : this.steps);
        if (out != null) {
            checkFolder(out);
            createFolder(out);
        }
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
        Map<Problem, List<TracePlot.Run>> recorded = new LinkedHashMap<>();
        int index = 0;
        for (Problem problem : chosen) {
            for (Named<OptimizerSpec> optimizer : specs) {
                ProblemRun run = runs.get(index++);
                StringBuilder trace = out == null ? null : new StringBuilder(TraceCsv.header(problem.dimension(), false));
                float[] losses = new float[steps + 1];
                float[][] points = new float[steps + 1][];
                ProblemRun.Summary summary = run.run(steps, (k, loss, point) -> {
                    if (trace != null) {
                        TraceCsv.appendRow(trace, null, k, loss, point);
                        losses[k] = loss;
                        points[k] = point.clone();
                    }
                });
                recorded.computeIfAbsent(problem, p -> new ArrayList<>()).add(new TracePlot.Run(optimizer.text(), losses, points));
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
            problemReport(results, best, recorded, steps);
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
                (System.nanoTime() - started) / 1e9, out == null ? "" : "; wrote " + out.resolve("results.csv") + ", the traces and " + out.resolve("report.html"));
        return Main.OK;
    }

    /** Writes each problem's trace picture as PNG and SVG and report.html with the table and the pictures. */
    private void problemReport(List<Result> results, Set<Result> best, Map<Problem, List<TracePlot.Run>> recorded, int steps) {
        CompareReport.Html h = new CompareReport.Html("descent compare: test problems");
        h.raw("<h1>Optimizers on test problems</h1>\n<p class=\"setup\">");
        h.text(count(results.size(), "run") + " of " + count(steps, "step") + " from each problem's default start. "
                + "steps_to_1e-3 is the first step with loss <= 1e-3; * marks the best run per problem (lowest final loss).");
        h.raw("</p>\n<pre class=\"table\">");
        h.text(table(results, best));
        h.raw("</pre>\n");
        for (Map.Entry<Problem, List<TracePlot.Run>> e : recorded.entrySet()) {
            Figure figure = TracePlot.figure(e.getKey(), e.getValue());
            byte[] png = CompareReport.bytes(figure, ImageFormat.PNG);
            String file = e.getKey().id();
            AtomicFile.writeBytes(out.resolve(file + ".png"), o -> o.write(png));
            AtomicFile.writeBytes(out.resolve(file + ".svg"), o -> figure.writeTo(o, ImageFormat.SVG));
            h.raw("<h2>");
            h.text(e.getKey().id() + ": " + TracePlot.formula(e.getKey()));
            h.raw("</h2>\n<figure class=\"chart\"><img alt=\"" + file + "\" src=\"data:image/png;base64,"
                    + Base64.getEncoder().encodeToString(png) + "\" width=\"" + figure.width() + "\"/><figcaption>Paths over the "
                    + "contour map of the loss, and the loss per step. Also as <a href=\"" + file + ".png\">" + file
                    + ".png</a> and <a href=\"" + file + ".svg\">" + file + ".svg</a>.</figcaption></figure>\n");
        }
        AtomicFile.write(out.resolve("report.html"), w -> w.append(h.finish()));
    }

    private static void addIf(List<String> list, boolean given, String option) {
        if (given) {
            list.add(option);
        }
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
