package dev.descent.optim.problem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test problems: their float32 losses and analytic gradients against the formulas in their javadoc,
 * evaluated in double precision here, with the gradients checked by central finite differences.
 */
class ProblemTest {
    private static final float[][] POINTS_2D = {
        {-1.5f, 2f}, {1f, 1.5f}, {0f, 0f}, {0.3f, -0.7f}, {1.2f, 1.1f}, {-2f, -1.25f}, {3f, 0.5f}, {2.5f, -0.4f},
    };
    private static final float[][] POINTS_4D = {
        {1f, 1f, 1f, 1f}, {0.5f, -2f, 0.1f, -0.03f}, {-3f, 0.25f, 1.5f, 0.7f},
    };

    /** The loss as the javadoc writes it, in double precision. */
    private static double reference(Problem problem, double[] w) {
        switch (problem) {
            case ROSENBROCK: {
                double x = w[0];
                double y = w[1];
                return sq(1 - x) + 100 * sq(y - x * x);
            }
            case BEALE: {
                double x = w[0];
                double y = w[1];
                return sq(1.5 - x + x * y) + sq(2.25 - x + x * y * y) + sq(2.625 - x + x * y * y * y);
            }
            case HIMMELBLAU:
                return sq(w[0] * w[0] + w[1] - 11) + sq(w[0] + w[1] * w[1] - 7);
            case QUADRATIC: {
                double[] c = {1, 10, 100, 1000};
                double sum = 0;
                for (int i = 0; i < 4; i++) {
                    sum += c[i] * w[i] * w[i];
                }
                return 0.5 * sum;
            }
            default:
                throw new AssertionError("no reference for " + problem);
        }
    }

    private static double sq(double x) {
        return x * x;
    }

    private static float[][] points(Problem problem) {
        return problem.dimension() == 2 ? POINTS_2D : POINTS_4D;
    }

    private static double[] widen(float[] w) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i];
        }
        return out;
    }

    /** Central difference of {@code f} along coordinate {@code i} at {@code w}. */
    private static double centralDifference(ToDoubleFunction<double[]> f, double[] w, int i) {
        double h = 1e-6 * Math.max(1, Math.abs(w[i]));
        double[] plus = w.clone();
        double[] minus = w.clone();
        plus[i] += h;
        minus[i] -= h;
        return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
    }

    @ParameterizedTest
    @EnumSource(Problem.class)
    void theAnalyticGradientMatchesCentralFiniteDifferences(Problem problem) {
        for (float[] point : points(problem)) {
            float[] g = new float[problem.dimension()];
            problem.gradient(point, g);
            double[] w = widen(point);
            for (int i = 0; i < g.length; i++) {
                double fd = centralDifference(x -> reference(problem, x), w, i);
                double error = Math.abs(g[i] - fd) / Math.max(1, Math.abs(fd));
                assertTrue(error < 1e-5, problem.id() + " at " + Arrays.toString(point) + ": d/dw" + i + " is " + g[i]
                        + " but finite differences give " + fd);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Problem.class)
    void theFloatLossMatchesTheFormula(Problem problem) {
        for (float[] point : points(problem)) {
            double expected = reference(problem, widen(point));
            double error = Math.abs(problem.loss(point) - expected) / Math.max(1, Math.abs(expected));
            assertTrue(error < 1e-6, problem.id() + " at " + Arrays.toString(point) + ": loss " + problem.loss(point)
                    + " but the formula gives " + expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Problem.class)
    void gradientAndLossDoNotWriteTheirInput(Problem problem) {
        float[] w = problem.defaultInit();
        float[] copy = w.clone();
        float[] g = new float[problem.dimension()];
        Arrays.fill(g, Float.NaN);
        problem.gradient(w, g);
        problem.loss(w);
        assertArrayEquals(copy, w);
        for (float x : g) {
            assertFalse(Float.isNaN(x), problem.id() + " left a gradient element unwritten");
        }
    }

    @Test
    void theKnownMinimaHaveZeroLossAndGradient() {
        assertMinimum(Problem.ROSENBROCK, 1f, 1f);
        assertMinimum(Problem.BEALE, 3f, 0.5f);
        assertMinimum(Problem.HIMMELBLAU, 3f, 2f);
        assertMinimum(Problem.QUADRATIC, 0f, 0f, 0f, 0f);
    }

    private static void assertMinimum(Problem problem, float... w) {
        assertEquals(0f, problem.loss(w), problem.id());
        float[] g = new float[w.length];
        problem.gradient(w, g);
        assertArrayEquals(new float[w.length], g, 0f, problem.id());
    }

    @Test
    void defaultInitsAreDesignMds() {
        assertArrayEquals(new float[] {-1.5f, 2f}, Problem.ROSENBROCK.defaultInit());
        assertArrayEquals(new float[] {1f, 1.5f}, Problem.BEALE.defaultInit());
        assertArrayEquals(new float[] {0f, 0f}, Problem.HIMMELBLAU.defaultInit());
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, Problem.QUADRATIC.defaultInit());
        assertEquals(List.of(2, 2, 2, 4), Arrays.stream(Problem.values()).map(Problem::dimension).toList());
    }

    @Test
    void theDefaultInitIsACopy() {
        Problem.ROSENBROCK.defaultInit()[0] = 42f;
        assertArrayEquals(new float[] {-1.5f, 2f}, Problem.ROSENBROCK.defaultInit());
    }

    @Test
    void byNameIsCaseInsensitive() {
        assertSame(Problem.ROSENBROCK, Problem.byName("rosenbrock"));
        assertSame(Problem.ROSENBROCK, Problem.byName("Rosenbrock"));
        assertSame(Problem.BEALE, Problem.byName("BEALE"));
        assertSame(Problem.HIMMELBLAU, Problem.byName("HimmelBlau"));
        assertSame(Problem.QUADRATIC, Problem.byName("quadratic"));
        assertEquals(List.of("rosenbrock", "beale", "himmelblau", "quadratic"),
                Arrays.stream(Problem.values()).map(Problem::id).toList());
    }

    @Test
    void anUnknownNameSuggestsTheClosestAndListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Problem.byName("rosenbrok"));
        assertTrue(e.getMessage().contains("unknown problem 'rosenbrok'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'rosenbrock'?"), e.getMessage());
        assertTrue(e.getMessage().contains("beale, himmelblau, quadratic, rosenbrock"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Problem.byName("Himmelblau2")).getMessage()
                .contains("did you mean 'himmelblau'?"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Problem.byName("quadratci")).getMessage()
                .contains("did you mean 'quadratic'?"));
        assertFalse(assertThrows(IllegalArgumentException.class, () -> Problem.byName("mnist")).getMessage()
                .contains("did you mean"));
    }
}
