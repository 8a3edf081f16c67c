package dev.descent.optim;

/**
 * Elementwise helpers for the fused step loops, written in the operations C2 vectorizes (multiply, min, max)
 * so a loop calling them stays a vector loop; {@link Math#signum(float)} and per-element branches do not.
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
}
