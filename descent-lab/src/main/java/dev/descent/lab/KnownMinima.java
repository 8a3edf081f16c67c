package dev.descent.lab;

import dev.descent.optim.problem.Problem;

import java.util.List;

/**
 * The global minima of the test problems, for reporting how far a run ended from the nearest one.
 * Himmelblau's function has four minima of 0; the other problems one each.
 */
final class KnownMinima {
    private KnownMinima() {
    }

    /** The minima of {@code problem}. */
    static List<double[]> of(Problem problem) {
        return switch (problem) {
            case ROSENBROCK -> List.of(new double[] {1, 1});
            case BEALE -> List.of(new double[] {3, 0.5});
            case HIMMELBLAU -> List.of(new double[] {3, 2}, new double[] {-2.805118, 3.131312},
                    new double[] {-3.779310, -3.283186}, new double[] {3.584428, -1.848126});
            case QUADRATIC -> List.of(new double[problem.dimension()]);
        };
    }

    /** The Euclidean distance from {@code point} to the nearest minimum (NaN when the point is not finite). */
    static double distance(Problem problem, float[] point) {
        double best = Double.POSITIVE_INFINITY;
        for (double[] minimum : of(problem)) {
            double sum = 0;
            for (int i = 0; i < point.length; i++) {
                double d = point[i] - minimum[i];
                sum += d * d;
            }
            if (Double.isNaN(sum)) {
                return Double.NaN;
            }
            best = Math.min(best, Math.sqrt(sum));
        }
        return best;
    }
}
