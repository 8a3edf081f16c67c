package dev.descent.lab;

import dev.descent.data.DataSpecs;
import dev.descent.data.Split;
import dev.descent.nn.Models;
import dev.descent.train.EpochResult;
import dev.descent.train.TrainConfig;
import dev.descent.train.TrainListener;
import dev.descent.train.TrainResult;
import dev.descent.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code descent train}: trains a model on a data set with an optimizer (and optionally a schedule) and writes
 * the run folder ({@code history.csv}, {@code summary.json}, {@code model.safetensors}, {@code checkpoint/});
 * {@code --resume DIR} continues a run from its last checkpoint.
 *
 * <p>Progress goes to stderr: a progress bar redrawn in place when stderr is a terminal, one line per epoch
 * otherwise. stdout gets one result line at the end of a successful run,
 * {@code test_acc=<fraction> test_loss=<loss> epoch_s=<median seconds>} ({@code test_acc} left out for
 * regression), so that scripts can read the outcome without parsing JSON. A non-finite loss ends the run with
 * exit code 1 and nothing on stdout, unless {@code --non-finite skip} skips its batch.
 */
@Command(name = "train", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Train a model on a data set and write history.csv, summary.json, model.safetensors and "
                + "checkpoint/ into the run folder.",
                "Prints test_acc=... test_loss=... epoch_s=... on stdout at the end; progress goes to stderr."})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "NAME",
            description = "fashion-mnist, mnist, kmnist, blobs(...), spirals(...), linear(...) or csv(\"file.csv\", target=\"y\").")
    private String data;

    @Option(names = "--model", paramLabel = "SPEC", description = "The model (default: mlp(hidden=[128], dropout=0.2)).")
    private String model;

    @Option(names = "--optimizer", paramLabel = "SPEC", description = "The optimizer (default: adam(lr=0.001)).")
    private String optimizer;

    @Option(names = "--schedule", paramLabel = "SPEC", description = "A learning-rate schedule, such as \"steplr(step_size=2, gamma=0.5)\".")
    private String schedule;

    @Option(names = "--schedule-every", paramLabel = "epoch|batch",
            description = "When the schedule steps: after every epoch (default) or every batch.")
    private String scheduleEvery;

    @Option(names = "--group", paramLabel = "\"PATTERN: key=value, ...\"",
            description = "A parameter-group rule, such as \"bias: weight_decay=0\" (repeatable).")
    private List<String> groups;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Clip the gradients' global 2-norm to X (default: no clipping).")
    private Double clipNorm;

    @Option(names = "--accumulate", paramLabel = "K",
            description = "Average the gradients of K batches and step once (default: 1, a step per batch).")
    private Integer accumulate;

    @Option(names = "--non-finite", paramLabel = "stop|skip",
            description = "A batch whose loss is NaN or infinite stops the run (default) or is skipped.")
    private String nonFinite;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set (default: 5).")
    private Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B",
            description = "Examples per step (default: 32); 1 is stochastic, the training set's size full-batch.")
    private Integer batchSize;

    @Option(names = "--seed", paramLabel = "S", description = "The seed of the weights, shuffles and dropout (default: 0).")
    private Long seed;

    @Option(names = "--patience", paramLabel = "N",
            description = "Stop early after N epochs without a lower test loss (default: never).")
    private Integer patience;

    @Option(names = "--min-delta", paramLabel = "D", description = "The decrease of test loss that counts as better (default: 0).")
    private Double minDelta;

    @Option(names = "--restore-best", description = "With --patience: end with the weights of the best epoch.")
    private boolean restoreBest;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: runs/train-<date>-<time>).")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its last checkpoint, with its own settings (--epochs may raise the total).")
    private Path resume;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        TrainConfig config = resume != null ? resumedConfig() : freshConfig();
        Path folder = resume != null ? resume : out;
        if (out != null) {
            OptionValues.outputFolder("--out", folder);
            if (Files.exists(folder.resolve("checkpoint"))) {
                throw new IllegalArgumentException("--out " + folder + ": holds a run already (checkpoint/); continue it with "
                        + "--resume " + folder + " or give another folder");
            }
        }
        Split split = loadData(config.data());
        Trainer trainer = new Trainer(config, split);
        if (resume != null) {
            trainer.restore(resume);
        }
        if (folder == null) {
            folder = claimDefaultFolder(LocalDateTime.now());
        }
        boolean terminal = Terminal.stderrIsTerminal();
        err.printf(Locale.ROOT, "descent: train: %s (%d parameters) on %s (%d training, %d test examples), %s, %d epochs of "
                        + "batch %s, seed %d%s -> %s%n", config.model(), trainer.model().parameterCount(), config.data(),
                split.train().size(), split.test().size(), config.optimizer()
                        + (config.schedule() == null ? "" : " with " + config.schedule() + " per "
                        + config.scheduleEvery().name().toLowerCase(Locale.ROOT)),
                config.epochs(), config.batchSize() + (config.accumulate() > 1 ? " (" + config.accumulate()
                        + " per step)" : ""), config.seed(),
                resume == null ? "" : ", resuming after epoch " + trainer.history().size(), folder);
        trainer.listen(new Progress(err, config.epochs(), split.train().size(), terminal));
        TrainResult result = trainer.run(folder);
        if (!result.ok()) {
            err.println("descent: train: failed: " + result.reason() + " (" + folder + ")");
            return Main.FAILED;
        }
        StringBuilder line = new StringBuilder();
        if (!Double.isNaN(result.finalTestAccuracy())) {
            line.append("test_acc=").append(result.finalTestAccuracy()).append(' ');
        }
        line.append("test_loss=").append(result.finalTestLoss()).append(" epoch_s=").append(result.medianEpochSeconds());
        err.println("descent: train: done" + (result.stoppedEarly() ? ", stopped early after epoch " + result.history().size()
                + " (best: epoch " + result.bestEpoch() + ")" : "") + skipped(trainer) + "; results in " + folder);
        stdout.println(line);
        stdout.flush();
        return Main.OK;
    }

    /** What the non-finite policy skipped, for the last line; empty when nothing was. */
    private static String skipped(Trainer trainer) {
        if (trainer.skippedBatches() == 0 && trainer.skippedSteps() == 0) {
            return "";
        }
        return ", skipped " + trainer.skippedBatches() + " batches with a non-finite loss and " + trainer.skippedSteps()
                + " steps with a non-finite gradient";
    }

    private TrainConfig freshConfig() {
        if (data == null) {
            throw new IllegalArgumentException("missing --data NAME (fashion-mnist, mnist, kmnist, blobs, spirals, linear, "
                    + "csv(\"file.csv\", target=\"y\")), or --resume DIR");
        }
        TrainConfig.Builder b = TrainConfig.builder().data(data);
        if (model != null) {
            b.model(model);
        }
        if (optimizer != null) {
            OptionValues.optimizer("--optimizer", optimizer);
            b.optimizer(optimizer);
        }
        if (scheduleEvery != null && schedule == null) {
            throw new IllegalArgumentException("--schedule-every " + scheduleEvery + ": give a --schedule to step");
        }
        if (schedule != null) {
            OptionValues.schedule("--schedule", schedule);
            try {
                b.schedule(schedule, scheduleEvery == null ? TrainConfig.ScheduleEvery.EPOCH
                        : TrainConfig.ScheduleEvery.parse(scheduleEvery));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--schedule-every: " + e.getMessage(), e);
            }
        }
        if (groups != null) {
            OptionValues.groupRules("--group", groups);
            b.groupRules(groups);
        }
        if (clipNorm != null) {
            if (!(clipNorm > 0) || clipNorm.isInfinite()) {
                throw new IllegalArgumentException("--clip-norm " + clipNorm + ": must be a positive finite number");
            }
            b.clipNorm(clipNorm);
        }
        if (accumulate != null) {
            b.accumulate(positive("--accumulate", accumulate));
        }
        if (nonFinite != null) {
            try {
                b.nonFinite(TrainConfig.NonFinite.parse(nonFinite));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--non-finite: " + e.getMessage(), e);
            }
        }
        if (epochs != null) {
            b.epochs(positive("--epochs", epochs));
        }
        if (batchSize != null) {
            b.batchSize(positive("--batch-size", batchSize));
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (patience != null) {
            try {
                b.earlyStopping(new TrainConfig.EarlyStopping(patience, minDelta == null ? 0 : minDelta, restoreBest));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--patience/--min-delta: " + e.getMessage(), e);
            }
        } else if (minDelta != null || restoreBest) {
            throw new IllegalArgumentException((minDelta != null ? "--min-delta" : "--restore-best")
                    + " needs --patience N, which turns early stopping on");
        }
        return b.build();
    }

    private TrainConfig resumedConfig() {
        List<String> others = new ArrayList<>();
        addIf(others, data != null, "--data");
        addIf(others, model != null, "--model");
        addIf(others, optimizer != null, "--optimizer");
        addIf(others, schedule != null || scheduleEvery != null, "--schedule");
        addIf(others, groups != null, "--group");
        addIf(others, clipNorm != null, "--clip-norm");
        addIf(others, accumulate != null, "--accumulate");
        addIf(others, nonFinite != null, "--non-finite");
        addIf(others, batchSize != null, "--batch-size");
        addIf(others, seed != null, "--seed");
        addIf(others, patience != null || minDelta != null || restoreBest, "--patience");
        addIf(others, out != null, "--out");
        if (!others.isEmpty()) {
            throw new IllegalArgumentException("--resume " + resume + " continues the run with its own settings; "
                    + String.join(", ", others) + " cannot be given with it (only --epochs)");
        }
        if (!Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + ": no such folder");
        }
        TrainConfig saved = Trainer.savedConfig(resume);
        return epochs == null ? saved : saved.withEpochs(positive("--epochs", epochs));
    }

    private static void addIf(List<String> list, boolean given, String option) {
        if (given) {
            list.add(option);
        }
    }

    private static int positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " " + value + ": must be 1 or more");
        }
        return value;
    }

    static Split loadData(String text) {
        if (text.strip().toLowerCase(Locale.ROOT).startsWith("csv:")) {
            String file = text.strip().substring(4);
            throw new IllegalArgumentException("--data " + text + ": name the column to predict, e.g. --data 'csv(\"" + file
                    + "\", target=\"label\")' (add task=regression for a numeric target)");
        }
        try {
            return DataSpecs.load(text);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("--data " + text + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--data " + text + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates and returns {@code runs/train-<date>-<time>}, or {@code ...-2}, {@code -3}, ... when a run started in
     * the same second holds that name already: creating the folder is what claims it, so two runs started at once
     * never share one. Called once the configuration and data have passed their checks, so bad input leaves no folder.
     */
    static Path claimDefaultFolder(LocalDateTime now) {
        String base = "train-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        for (int n = 1; ; n++) {
            Path folder = Path.of("runs", n == 1 ? base : base + "-" + n);
            try {
                Files.createDirectories(folder.getParent());
                return Files.createDirectory(folder);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken by another run: try the next suffix
            } catch (java.io.IOException e) {
                throw new UncheckedIOException("could not create the run folder " + folder + ": " + e, e);
            }
        }
    }

    /** Model names for the help text. */
    static List<String> modelNames() {
        return Models.names();
    }

    /** Shows progress on stderr: a bar redrawn in place on a terminal, one line per epoch otherwise. */
    private static final class Progress implements TrainListener {
        private static final long REDRAW_NANOS = 200_000_000L;
        private final PrintWriter err;
        private final int epochs;
        private final int trainSize;
        private final boolean terminal;
        private long lastDraw;

        Progress(PrintWriter err, int epochs, int trainSize, boolean terminal) {
            this.err = err;
            this.epochs = epochs;
            this.trainSize = trainSize;
            this.terminal = terminal;
        }

        @Override
        public void onBatchEnd(BatchProgress p) {
            if (!terminal) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastDraw < REDRAW_NANOS && p.batch() < p.batches()) {
                return;
            }
            lastDraw = now;
            int width = 24;
            int filled = (int) ((long) width * p.batch() / p.batches());
            String bar = "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "");
            err.printf(Locale.ROOT, "\repoch %d/%d [%s] %d/%d loss %.4f%s %.0f samples/s ", p.epoch(), epochs, bar,
                    p.batch(), p.batches(), p.loss(), Double.isNaN(p.accuracy()) ? "" : String.format(Locale.ROOT, " acc %.4f",
                            p.accuracy()), p.seconds() > 0 ? p.samples() / p.seconds() : 0.0);
            err.flush();
        }

        @Override
        public void onEpochEnd(EpochResult r) {
            if (terminal) {
                err.print("\r\033[K");
            }
            err.printf(Locale.ROOT, "epoch %d/%d: train_loss=%.4f%s test_loss=%.4f%s lr=%s seconds=%.2f (%.0f samples/s)%n",
                    r.epoch(), epochs, r.trainLoss(), Double.isNaN(r.trainAcc()) ? "" : String.format(Locale.ROOT, " train_acc=%.4f", r.trainAcc()),
                    r.testLoss(), Double.isNaN(r.testAcc()) ? "" : String.format(Locale.ROOT, " test_acc=%.4f", r.testAcc()),
                    r.lr(), r.seconds(), trainSize / r.seconds());
            err.flush();
        }
    }
}
