package dev.descent.optim;

/**
 * Elementwise helpers for the fused step loops, written in the operations C2 vectorizes (multiply, min, max)
 * so a loop calling them stays a vector loop; {@link Math#signum(float)} and per-element branches do not.
 *
 * <p>What C2 (JDK 17) vectorizes, learned on these loops: a counted loop whose body holds only such operations,
 * whose arrays are all indexed by the same {@code i} (one array indexed by {@code i - from} beside others
 * indexed by {@code i} keeps the whole loop scalar), and whose body is small: C2 vectorizes only a loop it
 * unrolls, and it unrolls one only while the body is under about {@code -XX:LoopUnrollLimit} (60) nodes of its
 * graph. Rprop's loop vectorizes at that limit and not at 50; Adam's still does at 45. A longer elementwise
 * rule has to be cut into passes over blocks that stay in the L1 cache, which costs: Rprop as two passes over
 * blocks of 2048 ran about 1.3 times as long as its single loop does now.
 *
 * <p>C2 compiles a kernel's loop more than once: alone at first, then again inlined into its callers
 * ({@link StepThreads}' loop, or the pieces it hands to the threads) once those are hot, a few seconds into
 * training. A loop that vectorizes alone may not once inlined, and then runs scalar from then on: AdaBelief's
 * did with {@code r = g - m} where {@code m = fma(g, ...)} (about 4 times slower over 10M parameters from about
 * 500 steps on), and does not with {@code r = m - g}, the same square. Check a new kernel over a run of 10
 * seconds or more ({@code descent bench step --seconds 10}), not only its first seconds.
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
     * Whether every product {@code a[i] · b[i]} for i in [from, to) is finite: the largest magnitude of the
     * products, which a NaN poisons ({@link Math#max(float, float)} returns NaN if either argument is NaN), is
     * below infinity. C2 vectorizes the loop.
     */
    static boolean allProductsFinite(float[] a, float[] b, int from, int to) {
        float most = 0f;
        for (int i = from; i < to; i++) {
            most = Math.max(most, Math.abs(a[i] * b[i]));
        }
        return most < Float.POSITIVE_INFINITY;
    }
}
