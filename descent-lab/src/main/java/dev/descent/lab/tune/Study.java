package dev.descent.lab.tune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A hyperparameter search: runs trials of an {@link Objective} over a {@link SearchSpace}, {@code jobs} at a
 * time on a small thread pool, with values from a {@link Sampler} and early stopping by a {@link Pruner},
 * optionally recorded in a study file ({@link StudyFile}) from which a rerun resumes.
 *
 * <p><b>What is deterministic.</b> With the same space, sampler, pruner, seed and {@code jobs}, and an
 * objective whose score and reports are a function of the trial ({@link Trial#spec()}, values,
 * {@link Trial#seed()}), every trial's values, state, score and reports are the same in every run, whatever
 * the threads' timing and the order in which trials finish, and whether or not the study was interrupted and
 * resumed. Two rules make it so:
 * <ul>
 *   <li>trial k is sampled from the records of trials {@code 0 .. k-jobs} exactly: before sampling it waits
 *       for those to end (with {@code jobs = 1} every trial sees all the trials before it);</li>
 *   <li>the pruner decides on trial k at an epoch from the scores of trials {@code 0 .. k-1} at that epoch
 *       only: it waits until each of those has reported that epoch or ended. This is asynchronous successive
 *       halving run in the order of trial numbers: a trial never waits for later ones.</li>
 * </ul>
 * Changing {@code jobs} changes what each trial sees, so results differ between {@code jobs} values (each
 * reproducible). The seconds each trial took are recorded but are not part of the guarantee.
 *
 * <p>A trial that throws or returns or reports a score that is not finite is recorded as failed and the study
 * goes on. An {@link Error} (out of memory, say) or a failure to write the study file stops the study:
 * {@link #optimize} rethrows it, trials waiting for others give up, and trials that end afterwards are not
 * recorded. A resumed study skips the trials its file holds (finished, pruned or failed alike) and runs the
 * rest.
 */
public final class Study {
    private final SearchSpace space;
    private final Sampler sampler;
    private final Pruner pruner;
    private final long seed;
    private final int jobs;
    private final Path file;
    private Consumer<TrialRecord> listener = r -> { };
    private String objective = "";

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private TrialRecord[] done;
    /** Set when a trial ends in an error that stops the study: trials waiting for others then give up. */
    private boolean aborted;
    private Map<Integer, TreeMap<Integer, Double>> running;

    /**
     * @param space   the space
     * @param sampler the sampler
     * @param pruner  the pruner, {@link Pruner#NONE} for none
     * @param seed    the seed of the trials' own seeds ({@link Trial#seed()})
     * @param jobs    trials run at once, at least 1
     * @param file    the study file, or null for none
     */
    public Study(SearchSpace space, Sampler sampler, Pruner pruner, long seed, int jobs, Path file) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs " + jobs + ": run at least 1 trial at a time");
        }
        this.space = space;
        this.sampler = sampler;
        this.pruner = pruner;
        this.seed = seed;
        this.jobs = jobs;
        this.file = file;
    }

    /** Calls {@code listener} (from a worker thread) as each trial ends; returns this study. */
    public Study onTrial(Consumer<TrialRecord> listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Says what the objective is (for example {@code rosenbrock, 200 steps}); the study file records it, so that
     * a rerun with another objective does not resume from this study's trials. Returns this study.
     */
    public Study objective(String description) {
        this.objective = description;
        return this;
    }

    /** What the study file's first line holds: what must match for a rerun to resume. */
    Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("descent_study", 1);
        header.put("space", space.text());
        header.put("objective", objective);
        header.put("sampler", sampler.toString());
        header.put("pruner", pruner.toString());
        header.put("seed", seed);
        header.put("jobs", jobs);
        return header;
    }

    /**
     * Runs trials {@code 0 .. trials-1} (fewer when the sampler's grid is smaller), skipping those the study
     * file already holds.
     *
     * @param trials the number of trials
     * @param objective the objective
     * @return every trial's record in order of number
     * @throws IllegalArgumentException when the study file belongs to another study or is damaged
     * @throws IOException when the study file cannot be written
     * @throws InterruptedException when the calling thread is interrupted
     */
    public List<TrialRecord> optimize(int trials, Objective objective) throws IOException, InterruptedException {
        if (trials < 1) {
            throw new IllegalArgumentException("trials " + trials + ": run at least 1 trial");
        }
        int total = Math.min(trials, sampler.capacity(space));
        done = new TrialRecord[total];
        running = new LinkedHashMap<>();
        aborted = false;
        StudyFile studyFile = file == null ? null : StudyFile.open(file, header(), space);
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "descent-tune");
            t.setDaemon(true);
            return t;
        });
        try {
            if (studyFile != null) {
                for (TrialRecord r : studyFile.records()) {
                    if (r.number() < total) {
                        done[r.number()] = r;
                    }
                }
            }
            List<Future<?>> futures = new ArrayList<>();
            for (int k = 0; k < total; k++) {
                if (done[k] == null) {
                    int number = k;
                    futures.add(pool.submit(() -> {
                        try {
                            runTrial(number, objective, studyFile);
                        } catch (Throwable t) {
                            abort();
                            throw t;
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IOException(cause.getMessage(), cause);
                }
            }
        } finally {
            pool.shutdownNow();
            if (studyFile != null) {
                studyFile.close();
            }
        }
        return List.of(done);
    }

    /**
     * Opens (or creates) the study file and returns the trials it holds, so that a caller can refuse another
     * study's file before it starts; {@link #optimize} reads the file again.
     *
     * @return the trials in the file, none when there is no file
     * @throws IllegalArgumentException when the file belongs to another study or is damaged
     * @throws IOException when it cannot be read or written
     */
    public List<TrialRecord> readStudyFile() throws IOException {
        if (file == null) {
            return List.of();
        }
        try (StudyFile studyFile = StudyFile.open(file, header(), space)) {
            return studyFile.records();
        }
    }

    /** The completed trial with the lowest score (the earlier on a tie), if any completed. */
    public static Optional<TrialRecord> best(List<TrialRecord> records) {
        return records.stream().filter(r -> r.state() == TrialState.COMPLETE)
                .min(Comparator.comparingDouble(TrialRecord::score).thenComparingInt(TrialRecord::number));
    }

    private void runTrial(int number, Objective objective, StudyFile studyFile) {
        List<TrialRecord> history = new ArrayList<>();
        lock.lock();
        try {
            while (!endedUpTo(number - jobs)) {
                awaitChange();
            }
            for (int j = 0; j <= number - jobs; j++) {
                history.add(done[j]);
            }
            running.put(number, new TreeMap<>());
        } finally {
            lock.unlock();
        }
        double[] values = sampler.sample(space, number, history);
        String spec = space.render(values);
        Trial trial = new Trial(number, spec, space.objects(values), Sampler.mix(seed ^ Sampler.mix(number)), this::report);
        long start = System.nanoTime();
        TrialState state;
        double score;
        String reason = null;
        try {
            score = objective.evaluate(trial);
            state = Double.isFinite(score) ? TrialState.COMPLETE : TrialState.FAILED;
            if (!Double.isFinite(score)) {
                reason = "score is " + score;
            }
        } catch (TrialPrunedException e) {
            state = TrialState.PRUNED;
            score = Double.NaN;
            reason = e.getMessage();
        } catch (Exception e) {
            state = TrialState.FAILED;
            score = Double.NaN;
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (isAborted()) {
            return; // the study stopped: a rerun runs this trial again
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        SortedMap<Integer, Double> reports;
        lock.lock();
        try {
            reports = running.get(number);
        } finally {
            lock.unlock();
        }
        if (state == TrialState.PRUNED) {
            score = reports.get(reports.lastKey());
        }
        TrialRecord record = new TrialRecord(number, state, values, spec, score, reports, reason, seconds);
        if (studyFile != null) {
            studyFile.append(record, space);
        }
        lock.lock();
        try {
            done[number] = record;
            running.remove(number);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        listener.accept(record);
    }

    /** Stops trials that wait for others, after a trial ended in an error that stops the study. */
    private void abort() {
        lock.lock();
        try {
            aborted = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean isAborted() {
        lock.lock();
        try {
            return aborted;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a trial to report or end; holds the lock. */
    private void awaitChange() {
        if (aborted) {
            throw new StudyAbortedException();
        }
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aborted = true;
        }
        if (aborted) {
            throw new StudyAbortedException();
        }
    }

    /** Thrown in a trial that waits for others when the study has stopped. */
    private static final class StudyAbortedException extends RuntimeException {
        StudyAbortedException() {
            super("the study stopped", null, false, false);
        }
    }

    private boolean endedUpTo(int last) {
        for (int j = 0; j <= last; j++) {
            if (done[j] == null) {
                return false;
            }
        }
        return true;
    }

    private void report(Trial trial, int epoch, double score) {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score " + score + " at epoch " + epoch + " is not finite");
        }
        int number = trial.number();
        boolean prune;
        lock.lock();
        try {
            TreeMap<Integer, Double> mine = running.get(number);
            if (!mine.isEmpty() && epoch <= mine.lastKey()) {
                throw new IllegalArgumentException("epoch " + epoch + " reported after epoch " + mine.lastKey()
                        + "; report increasing epochs");
            }
            mine.put(epoch, score);
            changed.signalAll();
            if (!pruner.decidesAt(epoch)) {
                return;
            }
            List<Double> earlier = new ArrayList<>();
            for (int j = 0; j < number; j++) {
                while (true) {
                    SortedMap<Integer, Double> theirs = done[j] != null ? done[j].intermediate() : running.get(j);
                    if (done[j] != null || (theirs != null && !theirs.isEmpty() && theirs.lastKey() >= epoch)) {
                        Double s = theirs == null ? null : theirs.get(epoch);
                        if (s != null) {
                            earlier.add(s);
                        }
                        break;
                    }
                    awaitChange();
                }
            }
            prune = pruner.shouldPrune(epoch, score, earlier);
        } finally {
            lock.unlock();
        }
        if (prune) {
            throw new TrialPrunedException("pruned at epoch " + epoch + " with score " + score);
        }
    }
}
