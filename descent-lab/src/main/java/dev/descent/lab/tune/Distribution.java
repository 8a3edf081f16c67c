package dev.descent.lab.tune;

import dev.descent.optim.spec.Spec;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One dimension's distribution in a search space: {@code uniform(low, high)}, {@code loguniform(low, high)},
 * {@code intuniform(low, high)} or {@code choice(a, b, ...)}.
 *
 * <p>Samplers work on a value as a double: the number itself for {@link Uniform} and {@link IntUniform},
 * the index of the option for {@link Choice}. {@link #render(double)} writes that value in spec syntax.
 */
public sealed interface Distribution {
    /** Draws a value uniformly (log-uniformly for {@code loguniform}) from the whole range. */
    double sampleUniform(SplittableRandom random);

    /** Writes the value (a number, or an option's index) as spec text. */
    String render(double value);

    /** The value as a Java object: a {@code Double}, a {@code Long}, or the option as parsed. */
    Object object(double value);

    /**
     * A real number in {@code [low, high)}, uniform in the value or, when {@code log}, in its logarithm.
     *
     * @param low  the lower bound, positive when {@code log}
     * @param high the upper bound, above {@code low}
     * @param log  whether the distribution is uniform in {@code ln(x)} ({@code loguniform})
     */
    record Uniform(double low, double high, boolean log) implements Distribution {
        /** Checks the bounds. */
        public Uniform {
            String name = log ? "loguniform" : "uniform";
            if (!Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException(name + "(" + low + ", " + high + "): the bounds must be finite");
            }
            if (low >= high) {
                throw new IllegalArgumentException(name + "(" + low + ", " + high + "): low must be below high");
            }
            if (log && low <= 0) {
                throw new IllegalArgumentException(name + "(" + low + ", " + high + "): low must be above 0 for a log scale");
            }
        }

        /** The lower bound where samplers work: {@code ln(low)} on a log scale. */
        double lowInternal() {
            return log ? Math.log(low) : low;
        }

        /** The upper bound where samplers work: {@code ln(high)} on a log scale. */
        double highInternal() {
            return log ? Math.log(high) : high;
        }

        /** The value at {@code t} in [lowInternal, highInternal], kept inside [low, high]. */
        double fromInternal(double t) {
            return Math.min(high, Math.max(low, log ? Math.exp(t) : t));
        }

        @Override
        public double sampleUniform(SplittableRandom random) {
            return fromInternal(lowInternal() + random.nextDouble() * (highInternal() - lowInternal()));
        }

        @Override
        public String render(double value) {
            return Spec.render(value);
        }

        @Override
        public Object object(double value) {
            return value;
        }
    }

    /**
     * An integer in {@code [low, high]}, both included, each equally likely.
     *
     * @param low  the smallest value
     * @param high the largest value, above {@code low}
     */
    record IntUniform(long low, long high) implements Distribution {
        /** Checks the bounds. */
        public IntUniform {
            if (low >= high) {
                throw new IllegalArgumentException("intuniform(" + low + ", " + high + "): low must be below high");
            }
            if (high - low >= (1L << 52)) {
                throw new IllegalArgumentException("intuniform(" + low + ", " + high + "): the range is too wide (2^52 values at most)");
            }
        }

        @Override
        public double sampleUniform(SplittableRandom random) {
            return low + random.nextLong(high - low + 1);
        }

        @Override
        public String render(double value) {
            return Long.toString((long) value);
        }

        @Override
        public Object object(double value) {
            return (long) value;
        }
    }

    /**
     * One of a list of options: numbers, strings, booleans, {@code none}, sequences or whole specs.
     *
     * @param options the options as parsed, at least one, no two alike
     */
    record Choice(List<Object> options) implements Distribution {
        /** Checks that there are options and no duplicates. */
        public Choice {
            options = List.copyOf(options);
            if (options.isEmpty()) {
                throw new IllegalArgumentException("choice(): give at least one option");
            }
            for (int i = 0; i < options.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (Spec.render(options.get(i)).equals(Spec.render(options.get(j)))) {
                        throw new IllegalArgumentException("choice(" + String.join(", ", options.stream().map(Spec::render).toList())
                                + "): option " + Spec.render(options.get(i)) + " is given twice");
                    }
                }
            }
        }

        @Override
        public double sampleUniform(SplittableRandom random) {
            return random.nextInt(options.size());
        }

        @Override
        public String render(double value) {
            return Spec.render(options.get((int) value));
        }

        @Override
        public Object object(double value) {
            return options.get((int) value);
        }

        /** The index of the option whose spec text is {@code text}, or -1. */
        int indexOf(String text) {
            for (int i = 0; i < options.size(); i++) {
                if (Spec.render(options.get(i)).equals(text)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
