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
            case BOOTH:
                return sq(w[0] + 2 * w[1] - 7) + sq(2 * w[0] + w[1] - 5);
            case RASTRIGIN:
                return 20 + w[0] * w[0] - 10 * Math.cos(2 * Math.PI * w[0]) + w[1] * w[1] - 10 * Math.cos(2 * Math.PI * w[1]);
            case SADDLE:
                return w[0] * w[0] - w[1] * w[1];
            case SIXHUMPCAMEL: {
                double x = w[0];
                double y = w[1];
                return (4 - 2.1 * x * x + Math.pow(x, 4) / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y;
            }
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
        assertMinimum(Problem.BOOTH, 1f, 3f);
        assertMinimum(Problem.RASTRIGIN, 0f, 0f);
    }

    @Test
    void theSaddleIsFlatAtTheOriginAndFallsAlongY() {
        float[] g = new float[2];
        Problem.SADDLE.gradient(new float[] {0f, 0f}, g);
        assertArrayEquals(new float[] {0f, 0f}, g, 0f);
        assertEquals(0f, Problem.SADDLE.loss(new float[] {0f, 0f}));
        assertTrue(Problem.SADDLE.loss(new float[] {0f, 1f}) < 0 && Problem.SADDLE.loss(new float[] {1f, 0f}) > 0);
    }

    /** The six-hump camel function's two global minima (value −1.0316284535) and the local one its start falls into. */
    @Test
    void theSixHumpCamelsMinimaAreStationaryWithTheirKnownValues() {
        for (float sign : new float[] {1f, -1f}) {
            float[] w = {sign * 0.08984201f, sign * -0.7126564f};
            assertEquals(-1.0316284535, Problem.SIXHUMPCAMEL.loss(w), 1e-6);
            assertEquals(-1.0316284535, reference(Problem.SIXHUMPCAMEL, widen(w)), 1e-10);
            float[] g = new float[2];
            Problem.SIXHUMPCAMEL.gradient(w, g);
            assertEquals(0f, g[0], 1e-5f);
            assertEquals(0f, g[1], 1e-5f);
            // a minimum: every nearby point is higher
            for (double angle = 0; angle < 2 * Math.PI; angle += Math.PI / 8) {
                double[] near = {w[0] + 1e-3 * Math.cos(angle), w[1] + 1e-3 * Math.sin(angle)};
                assertTrue(reference(Problem.SIXHUMPCAMEL, near) > -1.0316284535, Arrays.toString(near));
            }
        }
        float[] local = {-1.7036067f, 0.7960835f};
        float[] g = new float[2];
        Problem.SIXHUMPCAMEL.gradient(local, g);
        assertEquals(0f, g[0], 1e-4f);
        assertEquals(0f, g[1], 1e-4f);
        assertEquals(-0.2154638244, Problem.SIXHUMPCAMEL.loss(local), 1e-6);
    }

    /** Rastrigin's default start lies in the basin of the local minimum near (3, −3): plain gradient descent ends there. */
    @Test
    void rastriginsStartFallsIntoALocalMinimum() {
        float[] w = Problem.RASTRIGIN.defaultInit();
        float[] g = new float[2];
        for (int k = 0; k < 2000; k++) {
            Problem.RASTRIGIN.gradient(w, g);
            w[0] -= 0.002f * g[0];
            w[1] -= 0.002f * g[1];
        }
        assertEquals(2.985, w[0], 0.01);
        assertEquals(-2.985, w[1], 0.01);
        assertTrue(Problem.RASTRIGIN.loss(w) > 17, "a local minimum, not the global one: " + Problem.RASTRIGIN.loss(w));
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
        assertArrayEquals(new float[] {0f, 0f}, Problem.BOOTH.defaultInit());
        assertArrayEquals(new float[] {3.2f, -2.6f}, Problem.RASTRIGIN.defaultInit());
        assertArrayEquals(new float[] {1f, 0.001f}, Problem.SADDLE.defaultInit());
        assertArrayEquals(new float[] {-1.5f, 1f}, Problem.SIXHUMPCAMEL.defaultInit());
        assertEquals(List.of(2, 2, 2, 4, 2, 2, 2, 2), Arrays.stream(Problem.values()).map(Problem::dimension).toList());
        assertEquals(List.of(Problem.ROSENBROCK, Problem.BEALE, Problem.HIMMELBLAU, Problem.QUADRATIC), Problem.classic());
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
        assertSame(Problem.SIXHUMPCAMEL, Problem.byName("SixHumpCamel"));
        assertEquals(List.of("rosenbrock", "beale", "himmelblau", "quadratic", "booth", "rastrigin", "saddle", "sixhumpcamel"),
                Arrays.stream(Problem.values()).map(Problem::id).toList());
    }

    @Test
    void anUnknownNameSuggestsTheClosestAndListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Problem.byName("rosenbrok"));
        assertTrue(e.getMessage().contains("unknown problem 'rosenbrok'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'rosenbrock'?"), e.getMessage());
        assertTrue(e.getMessage().contains("beale, booth, himmelblau, quadratic, rastrigin, rosenbrock, saddle, sixhumpcamel"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Problem.byName("Himmelblau2")).getMessage()
                .contains("did you mean 'himmelblau'?"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Problem.byName("quadratci")).getMessage()
                .contains("did you mean 'quadratic'?"));
        assertFalse(assertThrows(IllegalArgumentException.class, () -> Problem.byName("mnist")).getMessage()
                .contains("did you mean"));
    }
}
