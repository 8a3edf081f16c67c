package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {
    private static void assertSameBits(float expected, float actual, float x) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), "x=" + x);
    }

    @Test
    void signMatchesMathSignumOnEdgeValues() {
        float[] xs = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            1f, -1f, 0.5f, 1e-30f, -1e-38f};
        for (float x : xs) {
            assertSameBits(Math.signum(x), Kernels.sign(x), x);
        }
    }

    @Test
    void signMatchesMathSignumOnRandomBits() {
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < 1_000_000; k++) {
            float x = Float.intBitsToFloat(random.nextInt());
            float expected = Math.signum(x);
            if (Float.isNaN(x)) {
                assertEquals(true, Float.isNaN(Kernels.sign(x)), "x=" + x);
            } else {
                assertSameBits(expected, Kernels.sign(x), x);
            }
        }
    }
}
