package dev.descent.lab.tune;

import java.util.List;

/**
 * Walks the grid of every combination in a fixed order, the last dimension changing fastest: every option of
 * a {@code choice}, every integer of an {@code intuniform}, and {@code points} evenly spaced values of a
 * {@code uniform} (in the logarithm for {@code loguniform}), both ends included (one point is the middle).
 * Trial k takes the k-th combination; the study stops when the grid is done.
 */
public final class GridSampler implements Sampler {
    private final int points;

    /** @param points values per continuous dimension, at least 1 */
    public GridSampler(int points) {
        if (points < 1) {
            throw new IllegalArgumentException("grid points " + points + ": give at least 1 point per continuous dimension");
        }
        this.points = points;
    }

    /** The grid values of one dimension, in order. */
    double[] axis(Distribution distribution) {
        if (distribution instanceof Distribution.Choice c) {
            double[] axis = new double[c.options().size()];
            for (int i = 0; i < axis.length; i++) {
                axis[i] = i;
            }
            return axis;
        }
        if (distribution instanceof Distribution.IntUniform u) {
            long n = u.high() - u.low() + 1;
            if (n > 1_000_000) {
                throw new IllegalArgumentException("intuniform(" + u.low() + ", " + u.high() + "): " + n + " values are too many for a grid");
            }
            double[] axis = new double[(int) n];
            for (int i = 0; i < axis.length; i++) {
                axis[i] = u.low() + i;
            }
            return axis;
        }
        Distribution.Uniform u = (Distribution.Uniform) distribution;
        double[] axis = new double[points];
        for (int i = 0; i < points; i++) {
            double f = points == 1 ? 0.5 : (double) i / (points - 1);
            axis[i] = i == 0 && points > 1 ? u.low() : i == points - 1 && points > 1 ? u.high()
                    : u.fromInternal(u.lowInternal() + f * (u.highInternal() - u.lowInternal()));
        }
        return axis;
    }

    @Override
    public int capacity(SearchSpace space) {
        long size = 1;
        for (SearchSpace.Dimension d : space.dimensions()) {
            size = Math.min(Integer.MAX_VALUE, size * axis(d.distribution()).length);
        }
        return (int) size;
    }

    @Override
    public double[] sample(SearchSpace space, int number, List<TrialRecord> history) {
        List<SearchSpace.Dimension> dims = space.dimensions();
        double[] values = new double[dims.size()];
        long rest = number;
        for (int i = dims.size() - 1; i >= 0; i--) {
            double[] axis = axis(dims.get(i).distribution());
            values[i] = axis[(int) (rest % axis.length)];
            rest /= axis.length;
        }
        return values;
    }

    @Override
    public String toString() {
        return "grid(points=" + points + ")";
    }
}
