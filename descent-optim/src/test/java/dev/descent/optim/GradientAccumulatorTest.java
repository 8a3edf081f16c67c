package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accumulating the gradients of k micro-batches of a mean loss equals one step on their union: linear
 * least squares, 12 examples of 3 features, w and b in two parameters, stepped by Adam (whose step is
 * not linear in the gradient, so a wrong mean would show).
 */
class GradientAccumulatorTest {
    private static final int N = 12;
    private static final float[][] X = new float[N][3];
    private static final float[] Y = new float[N];

    static {
        Random r = new Random(7);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 3; j++) {
                X[i][j] = (float) r.nextGaussian();
            }
            Y[i] = (float) r.nextGaussian();
        }
    }

    private static ParamStore store() {
        ParamStore s = ParamStore.builder().add("w", 3).add("b", 1).build();
        s.param(0).set(0.5f, -0.25f, 1f);
        s.param(1).set(0.1f);
        return s;
    }

    /** Writes the gradient of the mean of (x·w + b − y)² over examples [from, to). */
    private static void gradient(ParamStore s, int from, int to) {
        float[] w = s.param(0).values();
        float b = s.param(1).values()[0];
        float[] gw = new float[3];
        float gb = 0;
        for (int i = from; i < to; i++) {
            float e = X[i][0] * w[0] + X[i][1] * w[1] + X[i][2] * w[2] + b - Y[i];
            for (int j = 0; j < 3; j++) {
                gw[j] += 2 * e * X[i][j] / (to - from);
            }
            gb += 2 * e / (to - from);
        }
        s.param(0).setGrad(gw);
        s.param(1).setGrad(gb);
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), what + ", element " + i);
        }
    }

    @Test
    void equalMicroBatchesEqualTheUnionBatch() {
        ParamStore union = store();
        Optimizer plain = Optimizers.create("adam(lr=0.1)", union.params());
        ParamStore micro = store();
        GradientAccumulator acc = new GradientAccumulator(Optimizers.create("adam(lr=0.1)", micro.params()), 3);
        for (int step = 0; step < 4; step++) {
            gradient(union, 0, N);
            plain.step();
            for (int j = 0; j < 3; j++) {
                gradient(micro, 4 * j, 4 * j + 4);
                assertEquals(j == 2, acc.add(), "steps on the third micro-batch only");
                assertEquals((j + 1) % 3, acc.pending());
            }
            assertClose(union.data(), micro.data(), "after step " + (step + 1));
        }
        assertTrue(union.data()[0] != 0.5f, "the steps moved");
    }

    /** Micro-batches of 5, 4 and 3 examples weighted by their sizes give the union's mean gradient. */
    @Test
    void unequalMicroBatchesWeightedBySize() {
        ParamStore union = store();
        Optimizer plain = Optimizers.create("adam(lr=0.1)", union.params());
        ParamStore micro = store();
        GradientAccumulator acc = new GradientAccumulator(Optimizers.create("adam(lr=0.1)", micro.params()), 3);
        int[] bounds = {0, 5, 9, 12};
        for (int step = 0; step < 3; step++) {
            gradient(union, 0, N);
            plain.step();
            for (int j = 0; j < 3; j++) {
                gradient(micro, bounds[j], bounds[j + 1]);
                acc.add(bounds[j + 1] - bounds[j]);
            }
            assertClose(union.data(), micro.data(), "after step " + (step + 1));
        }
        ParamStore unweighted = store();
        GradientAccumulator equal = new GradientAccumulator(Optimizers.create("sgd(lr=0.1)", unweighted.params()), 3);
        for (int j = 0; j < 3; j++) {
            gradient(unweighted, bounds[j], bounds[j + 1]);
            equal.add();
        }
        ParamStore once = store();
        Optimizer one = Optimizers.create("sgd(lr=0.1)", once.params());
        gradient(once, 0, N);
        one.step();
        assertFalse(Math.abs(once.data()[3] - unweighted.data()[3]) < 1e-4, "equal weights differ from the union here");
    }

    @Test
    void oneMicroBatchIsPlainStepping() {
        ParamStore a = store();
        ParamStore b = store();
        Optimizer plain = Optimizers.create("sgd(lr=0.05, momentum=0.9)", a.params());
        GradientAccumulator acc = new GradientAccumulator(Optimizers.create("sgd(lr=0.05, momentum=0.9)", b.params()), 1);
        for (int k = 0; k < 3; k++) {
            gradient(a, 0, N);
            plain.step();
            gradient(b, 0, N);
            assertTrue(acc.add());
        }
        assertArrayEquals(a.data(), b.data());
    }

    /** A parameter without a gradient in any micro-batch stays undefined, so the optimizer skips it. */
    @Test
    void aParameterNeverGivenAGradientIsSkipped() {
        ParamStore s = store();
        Optimizer opt = Optimizers.create("adam(lr=0.1)", s.params());
        GradientAccumulator acc = new GradientAccumulator(opt, 2);
        s.param(0).setGrad(1f, 1f, 1f);
        acc.add();
        s.param(0).setGrad(3f, 3f, 3f);
        acc.add();
        assertArrayEquals(new float[] {2f, 2f, 2f}, s.param(0).grad());
        assertFalse(s.param(1).hasGrad());
        assertArrayEquals(new float[] {0.1f}, s.param(1).values());
        assertEquals(List.of(0), List.copyOf(opt.stateDict().state().keySet()));
    }

    /** Five micro-batches with k = 3: a step after the third, then flush steps on the two left, as on their union. */
    @Test
    void flushStepsOnTheShortRemainder() {
        ParamStore union = store();
        Optimizer plain = Optimizers.create("adam(lr=0.1)", union.params());
        ParamStore micro = store();
        GradientAccumulator acc = new GradientAccumulator(Optimizers.create("adam(lr=0.1)", micro.params()), 3);
        assertFalse(acc.flush(), "nothing pending, no step");
        int[] bounds = {0, 2, 4, 6, 9, 12};
        for (int j = 0; j < 5; j++) {
            gradient(micro, bounds[j], bounds[j + 1]);
            acc.add(bounds[j + 1] - bounds[j]);
        }
        assertEquals(2, acc.pending());
        assertTrue(acc.flush());
        assertEquals(0, acc.pending());
        assertFalse(acc.flush());
        gradient(union, 0, 6);
        plain.step();
        gradient(union, 6, 12);
        plain.step();
        assertClose(union.data(), micro.data(), "after the step and the flush");
    }

    /** The hook runs once per step, on the mean gradient, before the optimizer reads it. */
    @Test
    void theHookSeesTheMeanGradientBeforeTheStep() {
        ParamStore s = store();
        List<float[]> seen = new java.util.ArrayList<>();
        GradientAccumulator acc = new GradientAccumulator(Optimizers.create("sgd(lr=1)", s.params()), 2)
                .beforeStep(() -> {
                    seen.add(s.param(0).grad().clone());
                    s.param(0).setGrad(0f, 0f, 0f);
                });
        s.param(0).setGrad(1f, 2f, 3f);
        s.param(1).setGrad(1f);
        acc.add();
        assertTrue(seen.isEmpty());
        s.param(0).setGrad(3f, 2f, 1f);
        s.param(1).setGrad(1f);
        acc.add();
        assertEquals(1, seen.size());
        assertArrayEquals(new float[] {2f, 2f, 2f}, seen.get(0));
        assertArrayEquals(new float[] {0.5f, -0.25f, 1f}, s.param(0).values(), "the step used the hook's zeroed gradient");
        assertArrayEquals(new float[] {0.1f - 1f}, s.param(1).values());
    }

    @Test
    void badArgumentsAreRefused() {
        Optimizer opt = Optimizers.create("adam", store().params());
        assertThrows(IllegalArgumentException.class, () -> new GradientAccumulator(opt, 0));
        assertThrows(IllegalArgumentException.class, () -> new GradientAccumulator(opt, 2).add(0));
        assertThrows(IllegalArgumentException.class, () -> new GradientAccumulator(opt, 2).add(Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GradientAccumulator(Optimizers.create("lbfgs", store().params()), 2));
        assertTrue(e.getMessage().contains("closure"), e.getMessage());
    }
}
