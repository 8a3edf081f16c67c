package dev.descent.optim;

/**
 * Elementwise helpers for the fused step loops, written in the operations C2 vectorizes (multiply, min, max)
 * so a loop calling them stays a vector loop; {@link Math#signum(float)} and per-element branches do not.
 *
 * <p>What C2 (JDK 17) vectorizes, learned on these loops: a counted loop whose body holds only such operations
 * and whose arrays are all indexed by the same {@code i} (an array indexed by {@code i - from} beside ones
 * indexed by {@code i} stops it), and whose body is small: C2 unrolls, and so vectorizes, a loop only if its
 * body has at most {@code LoopUnrollLimit} (60) nodes; a long elementwise rule is better cut into passes over
 * blocks that stay in the L1 cache.
 */
final class Kernels {
    private static final float HUGE = 0x1p100f;

    private Kernels() {
    }

    /**
     * {@link Math#signum(float)}, bit for bit (±1, ±0 kept with its sign, NaN for NaN), without a branch: x is
     * scaled by 2^200 (exact for every float, so the smallest subnormal reaches 2^51) and clamped to [−1, 1].
     */
    static float sign(float x) {
        return Math.min(Math.max(x * HUGE * HUGE, -1f), 1f);
    }

    /**
     * Whether {@code a[i] · b[i]} is NaN for some i in [from, to): the maximum of the products, which a NaN
     * poisons ({@link Math#max(float, float)} returns NaN if either argument is NaN). C2 vectorizes the loop.
     */
    static boolean anyNaNProduct(float[] a, float[] b, int from, int to) {
        float most = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            most = Math.max(most, a[i] * b[i]);
        }
        return most != most;
    }
}
