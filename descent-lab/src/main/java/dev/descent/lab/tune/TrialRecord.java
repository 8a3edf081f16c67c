package dev.descent.lab.tune;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A finished trial as the study keeps it and its file stores it.
 *
 * @param number       the trial's number, from 0
 * @param state        how it ended
 * @param values       the sampled value of each dimension (the option's index for a choice)
 * @param spec         the concrete spec text
 * @param score        the final score (lower is better), the last reported one when pruned, NaN when failed
 *                     without a report
 * @param intermediate the scores it reported, by epoch
 * @param reason       why it failed, or null
 * @param seconds      the wall time of the objective, informative only
 */
public record TrialRecord(int number, TrialState state, double[] values, String spec, double score,
                          SortedMap<Integer, Double> intermediate, String reason, double seconds) {
    /** Copies the arrays and maps it is given. */
    public TrialRecord {
        values = values.clone();
        intermediate = Collections.unmodifiableSortedMap(new TreeMap<>(intermediate));
    }

    /** The sampled values (a copy). */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** The last epoch it reported, or 0 when it reported none. */
    public int lastEpoch() {
        return intermediate.isEmpty() ? 0 : intermediate.lastKey();
    }
}
