package dev.descent.lab.tune;

import java.util.List;
import java.util.SplittableRandom;

/** Draws every value independently and uniformly (log-uniformly for {@code loguniform}) from a stream seeded by the seed and the trial's number. */
public final class RandomSampler implements Sampler {
    private final long seed;

    /** @param seed the seed; trial k's values depend only on it and k */
    public RandomSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public double[] sample(SearchSpace space, int number, List<TrialRecord> history) {
        return draw(space, Sampler.random(seed, number));
    }

    /** One uniform draw per dimension from {@code random}. */
    static double[] draw(SearchSpace space, SplittableRandom random) {
        List<SearchSpace.Dimension> dims = space.dimensions();
        double[] values = new double[dims.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = dims.get(i).distribution().sampleUniform(random);
        }
        return values;
    }

    @Override
    public String toString() {
        return "random(seed=" + seed + ")";
    }
}
