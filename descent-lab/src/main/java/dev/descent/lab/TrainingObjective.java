package dev.descent.lab;

import dev.descent.data.Split;
import dev.descent.lab.tune.Objective;
import dev.descent.lab.tune.Trial;
import dev.descent.train.EpochResult;
import dev.descent.train.TrainConfig;
import dev.descent.train.TrainListener;
import dev.descent.train.TrainResult;
import dev.descent.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The objective of {@code descent tune --data}: trains the model with the trial's optimizer on data loaded once
 * and shared read-only by every trial, reports the score after each epoch to the study's pruner (so that ASHA
 * rungs are counted in epochs), and scores the trial by its last epoch.
 *
 * <p>The score is the test loss ({@link Metric#LOSS}, the default) or {@code 1 - test accuracy}
 * ({@link Metric#ACCURACY}); lower is better either way. Every trial starts from the same weights and sees the
 * same shuffles (the configuration's seed), so that trials differ only by their hyperparameters.
 */
final class TrainingObjective implements Objective {
    /** What a trial's score measures. */
    enum Metric {
        /** The test loss after the epoch. */
        LOSS,
        /** One minus the test accuracy after the epoch (classification only). */
        ACCURACY;

        static Metric parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "loss" -> LOSS;
                case "accuracy" -> ACCURACY;
                default -> throw new IllegalArgumentException("--metric '" + text + "': valid metrics are loss, accuracy");
            };
        }

        double of(EpochResult r) {
            return this == LOSS ? r.testLoss() : 1 - r.testAcc();
        }

        String describe() {
            return this == LOSS ? "final test loss" : "1 - final test accuracy";
        }
    }

    private final TrainConfig base;
    private final Split data;
    private final Metric metric;
    private final Path trialsFolder;

    /**
     * @param base         the configuration shared by the trials; its optimizer is replaced by each trial's
     * @param data         the data, read only
     * @param metric       what the score measures
     * @param trialsFolder where each trial's run folder goes ({@code <number>/}), or null for temporary folders
     *                     deleted after each trial
     */
    TrainingObjective(TrainConfig base, Split data, Metric metric, Path trialsFolder) {
        if (metric == Metric.ACCURACY && !data.train().isClassification()) {
            throw new IllegalArgumentException("--metric accuracy: data " + base.data() + " has regression targets; use --metric loss");
        }
        this.base = base;
        this.data = data;
        this.metric = metric;
        this.trialsFolder = trialsFolder;
    }

    /** The configuration of a trial: the base one with the trial's optimizer. */
    TrainConfig config(String optimizer) {
        return new TrainConfig(base.model(), optimizer, base.schedule(), base.scheduleEvery(), base.groupRules(), base.clipNorm(),
                base.epochs(), base.batchSize(), base.seed(), base.earlyStopping(), base.data(), base.nonFinite(), base.accumulate());
    }

    /** Builds the trainer of {@code optimizer} without training, to check a spec before the study starts. */
    void check(String optimizer) {
        new Trainer(config(optimizer), data);
    }

    /** What the study file records, so that a rerun with other training settings does not resume from it. */
    String description() {
        return metric.describe() + " of " + base.model() + " on " + base.data() + " after " + base.epochs() + " epochs of batch "
                + base.batchSize() + ", seed " + base.seed();
    }

    @Override
    public double evaluate(Trial trial) throws IOException {
        Path folder = trialsFolder != null ? trialsFolder.resolve(String.format(Locale.ROOT, "%03d", trial.number()))
                : Files.createTempDirectory("descent-tune-trial");
        try {
            Trainer trainer = new Trainer(config(trial.spec()), data);
            trainer.listen(new TrainListener() {
                @Override
                public void onEpochEnd(EpochResult r) {
                    double score = metric.of(r);
                    // The last epoch's score is the trial's result: a rung there would only discard finished work.
                    if (r.epoch() < base.epochs() && Double.isFinite(score)) {
                        trial.report(r.epoch(), score);
                    }
                }
            });
            TrainResult result = trainer.run(folder);
            if (!result.ok()) {
                throw new IllegalStateException(result.reason());
            }
            return metric == Metric.LOSS ? result.finalTestLoss() : 1 - result.finalTestAccuracy();
        } finally {
            if (trialsFolder == null) {
                delete(folder);
            }
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
