package dev.descent.optim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vectorized sums of squares: their accuracy against the exact sum, their fixed order, and their fallbacks. */
class SquareSumsTest {
    private final int saved = StepThreads.threshold;

    @AfterEach
    void restore() {
        StepThreads.threshold = saved;
    }

    /** Σx² to about 1e-16: each square is exact in double, the sum compensated (Kahan). */
    private static double exact(float[] a, int from, int to) {
        double sum = 0;
        double carry = 0;
        for (int i = from; i < to; i++) {
            double y = (double) a[i] * a[i] - carry;
            double t = sum + y;
            carry = (t - sum) - y;
            sum = t;
        }
        return sum;
    }

    private static float[] gaussian(int n, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }

    @Test
    void closeToTheExactSumOverSeveralPiecesAndAnOddTail() {
        int from = 37;
        int to = from + 3 * StepThreads.SUM_CHUNK + 2 * SquareSums.BLOCK + 101;
        for (double scale : new double[] {1, 0.01, 3e4}) {
            float[] a = gaussian(to + 5, scale, 1);
            double expected = exact(a, from, to);
            double actual = SquareSums.of(a, from, to);
            // 32 float terms a lane allow 2e-6 at worst; ordinary data stays far below that.
            assertEquals(expected, actual, expected * 1e-8, "scale " + scale);
        }
    }

    @Test
    void sameBitsOnOneThreadAndSplitAndEqualToThePiecesAddedInOrder() {
        int n = 5 * StepThreads.SUM_CHUNK + 999;
        float[] a = gaussian(n, 1, 2);
        StepThreads.threshold = Integer.MAX_VALUE;
        double single = SquareSums.of(a, 3, n);
        StepThreads.threshold = 1;
        double split = SquareSums.of(a, 3, n);
        assertEquals(single, split);
        double pieces = 0;
        for (int from = 3; from < n; from += StepThreads.SUM_CHUNK) {
            pieces += SquareSums.of(a, from, Math.min(n, from + StepThreads.SUM_CHUNK));
        }
        assertEquals(single, pieces);
    }

    @Test
    void squaresBeyondFloatRangeAreSummedInDouble() {
        float[] a = gaussian(3 * SquareSums.BLOCK + 7, 1, 3);
        a[100] = 1e20f;
        double expected = exact(a, 0, a.length);
        assertEquals(expected, SquareSums.of(a, 0, a.length), expected * 1e-15);
    }

    @Test
    void tinyValuesKeepTheirNorm() {
        float[] a = gaussian(SquareSums.BLOCK + 9, 1e-25, 4);
        double expected = exact(a, 0, a.length);
        assertTrue(expected > 0);
        assertEquals(expected, SquareSums.of(a, 0, a.length), expected * 1e-12);
        assertEquals(0.0, SquareSums.of(new float[100], 0, 100));
    }

    @Test
    void aNaNMakesTheSumNaNAndLeavesTheLanesClear() {
        float[] a = gaussian(1000, 1, 5);
        double before = SquareSums.of(a, 0, a.length);
        float kept = a[500];
        a[500] = Float.NaN;
        assertTrue(Double.isNaN(SquareSums.of(a, 0, a.length)));
        a[500] = kept;
        assertEquals(before, SquareSums.of(a, 0, a.length));
    }
}
