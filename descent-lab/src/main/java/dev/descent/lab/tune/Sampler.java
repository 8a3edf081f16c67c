package dev.descent.lab.tune;

import java.util.List;

/**
 * Decides the values of a trial from the seed it was made with, the trial's number and the trials finished
 * before it. A sampler is a pure function of these: the same arguments give the same values.
 */
public interface Sampler {
    /**
     * The values of trial {@code number}.
     *
     * @param space   the space
     * @param number  the trial's number, from 0
     * @param history the trials the study has finished for this trial to learn from, in order of number
     * @return one value per dimension (the option's index for a choice)
     */
    double[] sample(SearchSpace space, int number, List<TrialRecord> history);

    /** How many distinct trials the sampler can make, {@link Integer#MAX_VALUE} when unbounded. */
    default int capacity(SearchSpace space) {
        return Integer.MAX_VALUE;
    }

    /** A random stream for trial {@code number} of a sampler with {@code seed}, independent of other trials' streams. */
    static java.util.SplittableRandom random(long seed, int number) {
        return new java.util.SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + mix(number + 0x632BE59BD9B4E019L)));
    }

    /** Stafford's mix13 finalizer (the one SplittableRandom uses). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
