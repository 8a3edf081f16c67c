package dev.descent.lab;

import dev.descent.data.Split;
import dev.descent.train.EpochResult;
import dev.descent.train.TrainConfig;
import dev.descent.train.TrainListener;
import dev.descent.train.TrainResult;
import dev.descent.train.Trainer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The runs of {@code descent compare} on a training task: every optimizer with every seed, each a
 * {@link Trainer} run in its own sub-folder, {@code jobs} of them at a time on their own threads.
 *
 * <p>A run's result depends only on its configuration and the data (the model, the shuffles and the dropout
 * masks all come from its seed, and nothing is shared between runs but the read-only data), so the results are
 * the same whatever the number of jobs and the order in which runs finish. A run whose loss stops being
 * finite, or that throws, is recorded as failed and the others go on.
 */
final class TrainingComparison {
    /**
     * One planned run.
     *
     * @param name      its sub-folder, such as {@code 01-sgd-seed0}
     * @param index     its optimizer's position in the list, from 0
     * @param optimizer the optimizer spec as written
     * @param config    everything the trainer needs
     */
    record Run(String name, int index, String optimizer, TrainConfig config) {
        long seed() {
            return config.seed();
        }
    }

    /**
     * How a run ended.
     *
     * @param run    the run
     * @param result the trainer's result (failed runs included)
     */
    record Outcome(Run run, TrainResult result) {
        boolean ok() {
            return result.ok();
        }
    }

    private final List<Run> runs;
    private final Split data;
    private final int jobs;
    private final PrintWriter err;
    private final Object progressLock = new Object();
    private int epochsPlanned;
    private int epochsDone;
    private double epochWallSum;

    TrainingComparison(List<Run> runs, Split data, int jobs, PrintWriter err) {
        this.runs = List.copyOf(runs);
        this.data = data;
        this.jobs = Math.max(1, Math.min(jobs, runs.size()));
        this.err = err;
    }

    /**
     * Plans the runs: optimizer-major, seeds 0..seeds-1 within each optimizer.
     *
     * @param base the configuration shared by all runs (model, data, epochs, batch size, schedule)
     */
    static List<Run> plan(List<String> optimizers, int seeds, TrainConfig base) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < optimizers.size(); i++) {
            String spec = optimizers.get(i);
            for (int seed = 0; seed < seeds; seed++) {
                TrainConfig c = new TrainConfig(base.model(), spec, base.schedule(), base.scheduleEvery(), base.groupRules(),
                        base.clipNorm(), base.epochs(), base.batchSize(), seed, base.earlyStopping(), base.data(),
                        base.nonFinite(), base.accumulate());
                runs.add(new Run(String.format(Locale.ROOT, "%02d-%s-seed%d", i + 1, fileName(spec), seed), i, spec, c));
            }
        }
        return runs;
    }

    /** The optimizer's name as the spec writes it, lower-cased, for folder names: {@code nag(lr=0.01)} gives {@code nag}. */
    static String fileName(String spec) {
        int paren = spec.indexOf('(');
        String name = (paren < 0 ? spec : spec.substring(0, paren)).strip().toLowerCase(Locale.ROOT);
        return name.replaceAll("[^a-z0-9_]+", "_");
    }

    /** Runs everything, writing each run's folder under {@code out}; outcomes come in plan order. */
    List<Outcome> run(Path out) {
        epochsPlanned = 0;
        for (Run r : runs) {
            epochsPlanned += r.config().epochs();
        }
        ExecutorService pool = Executors.newFixedThreadPool(jobs, task -> {
            Thread t = new Thread(task, "compare-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                int number = i + 1;
                Run run = runs.get(i);
                futures.add(pool.submit(() -> runOne(run, number, out.resolve(run.name()))));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the runs were going", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a run broke down: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome runOne(Run run, int number, Path folder) {
        String label = String.format(Locale.ROOT, "[%d/%d] %s seed %d", number, runs.size(), run.optimizer(), run.seed());
        TrainResult result;
        try {
            Trainer trainer = new Trainer(run.config(), data);
            trainer.listen(new TrainListener() {
                private long last = System.nanoTime();

                @Override
                public void onEpochEnd(EpochResult r) {
                    long now = System.nanoTime();
                    epochEnded(label, run.config().epochs(), r, (now - last) / 1e9);
                    last = now;
                }
            });
            result = trainer.run(folder);
        } catch (RuntimeException e) {
            String reason = Main.describe(e);
            result = new TrainResult("failed", reason, List.of(), Double.NaN, Double.NaN, 0, false, Double.NaN, Double.NaN);
        }
        if (!result.ok()) {
            synchronized (progressLock) {
                epochsPlanned -= run.config().epochs() - result.history().size();
                err.printf(Locale.ROOT, "descent: compare: %s failed: %s%n", label, result.reason());
                err.flush();
            }
        }
        return new Outcome(run, result);
    }

    /**
     * Prints an epoch's line with the time left: the mean wall time of an epoch so far (training, evaluation and
     * checkpoint) times the epochs still to run, shared among the jobs.
     */
    private void epochEnded(String label, int epochs, EpochResult r, double wallSeconds) {
        synchronized (progressLock) {
            epochsDone++;
            epochWallSum += wallSeconds;
            int remaining = Math.max(0, epochsPlanned - epochsDone);
            double left = epochWallSum / epochsDone * remaining / jobs;
            err.printf(Locale.ROOT, "descent: compare: %s epoch %d/%d: train_loss=%.4f test_loss=%.4f%s (%.1f s); about %s left%n",
                    label, r.epoch(), epochs, r.trainLoss(), r.testLoss(),
                    Double.isNaN(r.testAcc()) ? "" : String.format(Locale.ROOT, " test_acc=%.4f", r.testAcc()), r.seconds(),
                    duration(left));
            err.flush();
        }
    }

    /** A duration as people say it: {@code 45 s}, {@code 3 min 20 s}, {@code 1 h 05 min}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + String.format(Locale.ROOT, "%02d", s % 60) + " s";
        }
        return (s / 3600) + " h " + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + " min";
    }
}
