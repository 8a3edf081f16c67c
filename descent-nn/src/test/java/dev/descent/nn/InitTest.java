package dev.descent.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitTest {
    @Test
    void fansFollowPyTorch() {
        assertEquals(784, Init.fanIn(new int[] {128, 784}));
        assertEquals(128, Init.fanOut(new int[] {128, 784}));
        assertEquals(3 * 9, Init.fanIn(new int[] {32, 3, 3, 3}));
        assertEquals(32 * 9, Init.fanOut(new int[] {32, 3, 3, 3}));
    }

    private static double[] stats(Init init, int[] shape) {
        int n = shape[0] * shape[1];
        float[] a = new float[n];
        init.fill(a, 0, n, shape, new SplittableRandom(5));
        double s = 0;
        double s2 = 0;
        double max = 0;
        for (float v : a) {
            s += v;
            s2 += v * v;
            max = Math.max(max, Math.abs(v));
        }
        return new double[] {s / n, Math.sqrt(s2 / n), max};
    }

    @Test
    void scalesMatchTheirFormulas() {
        int[] shape = {200, 300};
        // uniform U(-b, b) has standard deviation b / sqrt 3
        double[][] expected = {
            {Math.sqrt(6.0 / 300) / Math.sqrt(3), Math.sqrt(6.0 / 300)},
            {Math.sqrt(6.0 / 500) / Math.sqrt(3), Math.sqrt(6.0 / 500)},
            {Math.sqrt(3.0 / 300) / Math.sqrt(3), Math.sqrt(3.0 / 300)},
        };
        Init[] uniform = {Init.heUniform(), Init.glorotUniform(), Init.lecunUniform()};
        Init[] normal = {Init.heNormal(), Init.glorotNormal(), Init.lecunNormal()};
        for (int i = 0; i < 3; i++) {
            double[] u = stats(uniform[i], shape);
            assertEquals(0, u[0], 0.01 * expected[i][0] * 10);
            assertEquals(expected[i][0], u[1], 0.02 * expected[i][0]);
            assertTrue(u[2] <= expected[i][1]);
            double[] g = stats(normal[i], shape);
            assertEquals(expected[i][0], g[1], 0.02 * expected[i][0]);
        }
    }

    @Test
    void torchDefaultDrawsWeightsAndBiasWithinOneOverSqrtFanIn() {
        Model m = new Model(new Linear(64, 8, true, Init.named("torch_default")), 3);
        double bound = 1 / Math.sqrt(64);
        for (String name : new String[] {"weight", "bias"}) {
            double max = 0;
            for (float v : m.store().param(name).values()) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.5 * bound, name + ": max |v| " + max + " vs bound " + bound);
        }
        Model conv = new Model(new Conv2d(2, 4, 3, 1, 0, true, Init.torchDefault()), 3);
        for (float v : conv.store().param("bias").values()) {
            assertTrue(v != 0f && Math.abs(v) <= 1 / Math.sqrt(18));
        }
    }

    @Test
    void namesAndTheirErrors() {
        assertTrue(Init.named("Kaiming_Uniform") != null);
        assertTrue(Init.named("xavier_normal") != null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.named("he_unifrom"));
        assertTrue(e.getMessage().contains("did you mean 'he_uniform'"), e.getMessage());
    }
}
