package dev.descent.lab.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trial handed to an {@link Objective}: its number, the concrete spec text, the sampled values, a seed
 * for the objective's own randomness, and {@link #report(int, double)} for intermediate scores.
 */
public final class Trial {
    /** Where a trial's reports go: the study records them and asks its pruner. */
    interface Reports {
        void report(Trial trial, int epoch, double score);
    }

    private final int number;
    private final String spec;
    private final Map<String, Object> params;
    private final long seed;
    private final Reports reports;

    Trial(int number, String spec, Map<String, Object> params, long seed, Reports reports) {
        this.number = number;
        this.spec = spec;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.seed = seed;
        this.reports = reports;
    }

    /** The trial's number, from 0. */
    public int number() {
        return number;
    }

    /** The concrete spec text, for example {@code adam(lr=0.00123)}, which {@code Optimizers.parse} accepts for an optimizer space. */
    public String spec() {
        return spec;
    }

    /** The sampled values by dimension name in the space's order: a {@code Double}, a {@code Long} or the chosen option as parsed. */
    public Map<String, Object> params() {
        return params;
    }

    /** A seed for the objective (data order, initialization), a function of the study's seed and the number. */
    public long seed() {
        return seed;
    }

    /**
     * Reports the score after {@code epoch} (epochs counted from 1, increasing).
     *
     * @throws TrialPrunedException when the pruner stops the trial; let it propagate
     * @throws IllegalArgumentException when the score is not finite (the trial fails) or the epoch does not increase
     */
    public void report(int epoch, double score) {
        reports.report(this, epoch, score);
    }

    @Override
    public String toString() {
        return "trial " + number + " " + spec;
    }
}
