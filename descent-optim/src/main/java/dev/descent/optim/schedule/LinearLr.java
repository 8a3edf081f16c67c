package dev.descent.optim.schedule;

/**
 * Changes the learning rate's factor linearly from {@code start_factor} to {@code end_factor} over
 * {@code total_iters} steps, as PyTorch's {@code LinearLR} (the usual warm-up).
 *
 * <pre>
 *   η_k = η_0 · (s + (e − s) · min(k, T) / T)        s = start_factor, e = end_factor, T = total_iters
 * </pre>
 * The scheduler follows PyTorch's chainable form: {@code η_0 · s} at step 0, then for 1 ≤ k ≤ T
 * {@code η_k = η_(k-1) · (1 + (e − s) / (T·s + (k − 1)·(e − s)))}, then unchanged.
 *
 * @param startFactor {@code start_factor}, in (0, 1] (default 1/3)
 * @param endFactor   {@code end_factor}, in [0, 1] (default 1)
 * @param totalIters  {@code total_iters}, >= 1 (default 5)
 */
public record LinearLr(double startFactor, double endFactor, long totalIters) implements ClosedFormSchedule {
    /**
     * Checks the values. PyTorch 1.13 accepts {@code start_factor = 0} but then divides by zero at step 1
     * (PyTorch 2 rejects it, as descent does), and {@code total_iters = 0}, where its two forms disagree.
     */
    public LinearLr {
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw Rules.invalid("linearlr", "start_factor", startFactor, "must be greater than 0 and at most 1 "
                    + "(PyTorch: \"Starting multiplicative factor expected to be between 0 and 1.\"; 0 divides by zero at step 1)");
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw Rules.invalid("linearlr", "end_factor", endFactor, "must be between 0 and 1 "
                    + "(PyTorch: \"Ending multiplicative factor expected to be between 0 and 1.\")");
        }
        Rules.atLeast("linearlr", "total_iters", totalIters, 1);
    }

    /** PyTorch's defaults: from 1/3 to 1 over 5 steps. */
    public static LinearLr defaults() {
        return new LinearLr(1.0 / 3, 1.0, 5);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        return group.lr() * (startFactor + (endFactor - startFactor) * Math.min(totalIters, step) / totalIters);
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        if (step == 0) {
            return lr * startFactor;
        }
        if (step > totalIters) {
            return lr;
        }
        return lr * (1.0 + (endFactor - startFactor)
                / (totalIters * startFactor + (step - 1) * (endFactor - startFactor)));
    }

    @Override
    public String toString() {
        return Rules.spec("linearlr", "start_factor", startFactor, "end_factor", endFactor, "total_iters", totalIters);
    }
}
