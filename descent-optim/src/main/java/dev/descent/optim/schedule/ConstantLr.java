package dev.descent.optim.schedule;

/**
 * Scales the learning rate by a constant {@code factor} for the first {@code total_iters} steps, as
 * PyTorch's {@code ConstantLR}.
 *
 * <pre>
 *   η_k = η_0 · factor   for k < total_iters
 *   η_k = η_0            for k ≥ total_iters
 * </pre>
 * The scheduler follows PyTorch's chainable form: {@code η_0 · factor} at step 0, then unchanged, then
 * multiplied by {@code 1 / factor} at step {@code total_iters}.
 *
 * @param factor     {@code factor}, in (0, 1] (default 1/3)
 * @param totalIters {@code total_iters}, >= 1 (default 5)
 */
public record ConstantLr(double factor, long totalIters) implements ClosedFormSchedule {
    /**
     * Checks the values. PyTorch's rule is 0 ≤ factor ≤ 1; descent also rejects factor 0, where PyTorch's
     * chainable form divides by zero at step {@code total_iters}, and {@code total_iters} below 1, where
     * PyTorch's chainable and closed forms disagree.
     */
    public ConstantLr {
        if (!(factor > 0 && factor <= 1)) {
            throw Rules.invalid("constantlr", "factor", factor, "must be greater than 0 and at most 1 (PyTorch: "
                    + "\"Constant multiplicative factor expected to be between 0 and 1.\"; 0 divides by zero at step total_iters)");
        }
        Rules.atLeast("constantlr", "total_iters", totalIters, 1);
    }

    /** PyTorch's defaults: factor 1/3 for 5 steps. */
    public static ConstantLr defaults() {
        return new ConstantLr(1.0 / 3, 5);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        return group.lr() * (factor + (step >= totalIters ? 1 - factor : 0.0));
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        if (step == 0) {
            return lr * factor;
        }
        return step != totalIters ? lr : lr * (1.0 / factor);
    }

    @Override
    public String toString() {
        return Rules.spec("constantlr", "factor", factor, "total_iters", totalIters);
    }
}
