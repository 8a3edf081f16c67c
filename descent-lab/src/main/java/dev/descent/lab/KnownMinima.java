package dev.descent.lab;

import dev.descent.optim.problem.Problem;

import java.util.List;

/**
 * The global minima of the test problems, for reporting how far a run ended from the nearest one and for
 * marking them on plots. Himmelblau's function has four minima of 0 and the six-hump camel function two of
 * −1.0316284535; the saddle x² − y² has none (it is unbounded below), only its saddle point; the other
 * problems have one minimum of 0.
 */
final class KnownMinima {
    /** The six-hump camel function's global minimum value. */
    private static final double CAMEL_MINIMUM = -1.0316284534898774;

    private KnownMinima() {
    }

    /** The global minima of {@code problem} (none for the saddle). */
    static List<double[]> of(Problem problem) {
        return switch (problem) {
            case ROSENBROCK -> List.of(new double[] {1, 1});
            case BEALE -> List.of(new double[] {3, 0.5});
            case HIMMELBLAU -> List.of(new double[] {3, 2}, new double[] {-2.805118, 3.131312},
                    new double[] {-3.779310, -3.283186}, new double[] {3.584428, -1.848126});
            case QUADRATIC -> List.of(new double[problem.dimension()]);
            case BOOTH -> List.of(new double[] {1, 3});
            case RASTRIGIN -> List.of(new double[] {0, 0});
            case SADDLE -> List.of();
            case SIXHUMPCAMEL -> List.of(new double[] {0.0898420131, -0.7126564030}, new double[] {-0.0898420131, 0.7126564030});
        };
    }

    /** The loss at the global minima, or NaN when the problem has no minimum. */
    static double value(Problem problem) {
        return switch (problem) {
            case SADDLE -> Double.NaN;
            case SIXHUMPCAMEL -> CAMEL_MINIMUM;
            default -> 0;
        };
    }

    /** The saddle points worth marking on a plot: the saddle's origin, none elsewhere. */
    static List<double[]> saddlePoints(Problem problem) {
        return problem == Problem.SADDLE ? List.of(new double[] {0, 0}) : List.of();
    }

    /**
     * The Euclidean distance from {@code point} to the nearest minimum (NaN when the point is not finite or the
     * problem has no minimum).
     */
    static double distance(Problem problem, float[] point) {
        double best = Double.NaN;
        for (double[] minimum : of(problem)) {
            double sum = 0;
            for (int i = 0; i < point.length; i++) {
                double d = point[i] - minimum[i];
                sum += d * d;
            }
            if (Double.isNaN(sum)) {
                return Double.NaN;
            }
            best = Double.isNaN(best) ? Math.sqrt(sum) : Math.min(best, Math.sqrt(sum));
        }
        return best;
    }
}
