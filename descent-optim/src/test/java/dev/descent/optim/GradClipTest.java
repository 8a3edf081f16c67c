package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clipping by hand-computed values, non-finite norms and argument validation (PyTorch comparisons: GradClipGoldenTest). */
class GradClipTest {
    private static final float TOL = 1e-6f;

    /** a = [3, -4] and b = [12] with gradients, c = [100] without. */
    private static ParamStore threeParams() {
        ParamStore store = ParamStore.builder().add("a", 2).add("b", 1).add("c", 1).build();
        store.param("a").setGrad(3, -4);
        store.param("b").setGrad(12);
        store.grad()[3] = 100;  // written but never marked defined: skipped
        return store;
    }

    @Test
    void normOfEveryOrderByHand() {
        List<Param> params = threeParams().params();
        assertEquals(13, GradClip.gradNorm(params, 2), 1e-12);
        assertEquals(19, GradClip.gradNorm(params, 1), 1e-12);
        assertEquals(12, GradClip.gradNorm(params, Double.POSITIVE_INFINITY), 0);
        assertEquals(Math.cbrt(27 + 64 + 1728), GradClip.gradNorm(params, 3), 1e-12);
        assertEquals(Math.pow(Math.sqrt(3) + 2 + Math.sqrt(12), 2), GradClip.gradNorm(params, 0.5), 1e-9);
    }

    @Test
    void clipGradNormScalesEveryGradientAndReturnsTheNormBefore() {
        ParamStore store = threeParams();
        assertEquals(13, GradClip.clipGradNorm(store.params(), 6.5), 1e-12);
        float c = (1f / (13f + 1e-6f)) * 6.5f;
        assertArrayEquals(new float[] {3 * c, -4 * c}, store.param("a").grad());
        assertArrayEquals(new float[] {12 * c}, store.param("b").grad());
        assertArrayEquals(new float[] {1.5f, -2f, 6f, 100f}, store.grad(), TOL);
        assertEquals(6.5, GradClip.gradNorm(store.params(), 2), 1e-5);

        ParamStore inf = threeParams();
        assertEquals(12, GradClip.clipGradNorm(inf.params(), 3, Double.POSITIVE_INFINITY), 0);
        assertArrayEquals(new float[] {0.75f, -1f, 3f, 100f}, inf.grad(), TOL);
    }

    @Test
    void aNormBelowMaxNormLeavesGradientsAsTheyAre() {
        ParamStore store = threeParams();
        assertEquals(19, GradClip.clipGradNorm(store.params(), 19.5, 1), 1e-12);
        assertArrayEquals(new float[] {3, -4, 12, 100}, store.grad());
    }

    @Test
    void noGradientsGiveZero() {
        assertEquals(0, GradClip.clipGradNorm(List.of(), 1.0));
        ParamStore store = ParamStore.of("w", 1, 2);
        assertEquals(0, GradClip.clipGradNorm(store.params(), 1.0, Double.POSITIVE_INFINITY, true));
        assertFalse(store.param(0).hasGrad());
    }

    @Test
    void nonFiniteNormRaisesWhenAskedAndNamesTheParameter() {
        ParamStore store = threeParams();
        store.param("b").setGrad(Float.NaN);
        ArithmeticException nan = assertThrows(ArithmeticException.class,
                () -> GradClip.clipGradNorm(store.params(), 1, 2, true));
        assertTrue(nan.getMessage().contains("is NaN"), nan.getMessage());
        assertTrue(nan.getMessage().contains("parameter 'b'"), nan.getMessage());
        assertTrue(nan.getMessage().contains("learning rate"), nan.getMessage());
        assertTrue(nan.getMessage().contains("errorIfNonfinite=false"), nan.getMessage());
        assertArrayEquals(new float[] {3, -4, Float.NaN, 100}, store.grad());

        ParamStore inf = threeParams();
        inf.param("a").setGrad(1, Float.NEGATIVE_INFINITY);
        for (double p : new double[] {1, 2, 3.5, Double.POSITIVE_INFINITY}) {
            ArithmeticException e = assertThrows(ArithmeticException.class,
                    () -> GradClip.clipGradNorm(inf.params(), 1, p, true));
            assertTrue(e.getMessage().contains("is infinite"), e.getMessage());
            assertTrue(e.getMessage().contains("parameter 'a' holds -Infinity at element 1"), e.getMessage());
        }
    }

    @Test
    void overflowWithFiniteGradientsIsSaidSo() {
        ParamStore store = ParamStore.of("w", 0);
        store.param(0).setGrad(3e38f);
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> GradClip.clipGradNorm(store.params(), 1, 9, true));
        assertTrue(e.getMessage().contains("overflowed"), e.getMessage());
    }

    @Test
    void nonFiniteNormScalesAsPyTorchWithoutTheOption() {
        ParamStore nan = threeParams();
        nan.param("b").setGrad(Float.NaN);
        assertTrue(Double.isNaN(GradClip.clipGradNorm(nan.params(), 1)));
        assertArrayEquals(new float[] {Float.NaN, Float.NaN, Float.NaN, 100}, nan.grad());

        ParamStore inf = threeParams();
        inf.param("b").setGrad(Float.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, GradClip.clipGradNorm(inf.params(), 1));
        assertArrayEquals(new float[] {0, -0f, Float.NaN, 100}, inf.grad());  // inf * 0 = NaN, as in torch
    }

    @Test
    void clipGradValueClampsDefinedGradientsOnly() {
        ParamStore store = threeParams();
        store.param("b").setGrad(Float.NaN);
        GradClip.clipGradValue(store.params(), 3.5);
        assertArrayEquals(new float[] {3, -3.5f, Float.NaN, 100}, store.grad());
        GradClip.clipGradValue(store.params(), 0);
        assertArrayEquals(new float[] {0, -0f, Float.NaN, 100}, store.grad());
    }

    @Test
    void adaptiveClippingByHand() {
        ParamStore store = ParamStore.builder().add("w", 2, 3).add("v", 2, 3).add("bias", 2).add("conv", 2, 1, 2, 1)
                .add("frozen", 2).build();
        Param w = store.param("w");
        w.set(3, 0, 4,   0, 0, 0);                // unit norms 5 and 0 (floored to eps = 1e-3)
        w.setGrad(0.3f, 0, 0.4f,   1e-5f, 0, 0);  // 0.5 >= 0.05 * 5: scaled to 0.25; 1e-5 < 0.05 * 1e-3: kept
        Param v = store.param("v");
        v.set(1, 2, 2,   0, 0, 0);
        v.setGrad(0.01f, 0.02f, 0.02f,   0, 0.006f, 0.008f);  // 0.03 < 0.05 * 3: kept; 0.01 >= 5e-5: scaled
        Param bias = store.param("bias");
        bias.set(6, 8);                           // one unit: norm 10
        bias.setGrad(3, 4);                       // norm 5 >= 0.5: scaled to 0.5
        Param conv = store.param("conv");
        conv.set(1, 0,   0, 2);                   // rows of two elements: norms 1 and 2
        conv.setGrad(0.2f, 0,   0, 0.05f);        // 0.2 >= 0.05: scaled to 0.05; 0.05 < 0.1: kept
        store.param("frozen").set(1, 1);
        store.grad()[store.param("frozen").offset()] = 7;  // not defined: skipped

        GradClip.adaptiveClipGrad(store.params(), 0.05);

        assertArrayEquals(new float[] {0.15f, 0, 0.2f, 1e-5f, 0, 0}, w.grad(), TOL);
        assertArrayEquals(new float[] {0.01f, 0.02f, 0.02f, 0, 3e-5f, 4e-5f}, v.grad(), TOL);
        assertArrayEquals(new float[] {0.3f, 0.4f}, bias.grad(), TOL);
        assertArrayEquals(new float[] {0.05f, 0, 0, 0.05f}, conv.grad(), TOL);
        assertArrayEquals(new float[] {7, 0}, store.param("frozen").grad());
        assertArrayEquals(new float[] {3, 0, 4, 0, 0, 0}, w.values(), "the weights are not touched");
    }

    @Test
    void adaptiveClippingEpsIsTheFloorOnTheWeightNorm() {
        ParamStore store = ParamStore.of("w", 0, 0);
        store.param(0).setGrad(3, 4);
        GradClip.adaptiveClipGrad(store.params(), 0.1, 0.5);  // limit 0.1 * max(0, 0.5) = 0.05
        assertArrayEquals(new float[] {0.03f, 0.04f}, store.param(0).grad(), TOL);
    }

    @Test
    void invalidArgumentsNameTheValueAndTheRule() {
        List<Param> params = threeParams().params();
        assertMessage("clipGradNorm: maxNorm=-1.0 is invalid: must be >= 0", () -> GradClip.clipGradNorm(params, -1));
        assertMessage("clipGradNorm: maxNorm=NaN is invalid: must be >= 0 (not NaN)", () -> GradClip.clipGradNorm(params, Double.NaN));
        assertMessage("clipGradNorm: normType=0.0 is invalid: must be > 0 (Infinity for the max norm)",
                () -> GradClip.clipGradNorm(params, 1, 0));
        assertMessage("clipGradNorm: normType=-2.0 is invalid", () -> GradClip.clipGradNorm(params, 1, -2));
        assertMessage("clipGradNorm: normType=-Infinity is invalid", () -> GradClip.clipGradNorm(params, 1, Double.NEGATIVE_INFINITY));
        assertMessage("clipGradNorm: normType=NaN is invalid", () -> GradClip.clipGradNorm(params, 1, Double.NaN));
        assertMessage("gradNorm: normType=0.0 is invalid", () -> GradClip.gradNorm(params, 0));
        assertMessage("clipGradValue: clipValue=-0.1 is invalid: must be >= 0", () -> GradClip.clipGradValue(params, -0.1));
        assertMessage("clipGradValue: clipValue=NaN is invalid", () -> GradClip.clipGradValue(params, Double.NaN));
        assertMessage("adaptiveClipGrad: clipFactor=-0.01 is invalid: must be >= 0", () -> GradClip.adaptiveClipGrad(params, -0.01));
        assertMessage("adaptiveClipGrad: eps=NaN is invalid", () -> GradClip.adaptiveClipGrad(params, 0.01, Double.NaN));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
