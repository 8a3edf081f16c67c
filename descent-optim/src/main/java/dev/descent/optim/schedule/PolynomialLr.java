package dev.descent.optim.schedule;

/**
 * Decays the learning rate polynomially to zero over {@code total_iters} steps, as PyTorch's
 * {@code PolynomialLR}.
 *
 * <pre>
 *   η_k = η_0 · (1 − min(k, T) / T)^p         T = total_iters, p = power
 * </pre>
 * The scheduler follows PyTorch's chainable form: for 1 ≤ k ≤ T,
 * {@code η_k = η_(k-1) · ((1 − k/T) / (1 − (k−1)/T))^p}, else unchanged.
 *
 * @param totalIters {@code total_iters}, >= 1 (default 5)
 * @param power      {@code power}, >= 0 (default 1)
 */
public record PolynomialLr(long totalIters, double power) implements ClosedFormSchedule {
    /** Checks the values. PyTorch checks neither; 0 steps divides by zero, a negative power at step T. */
    public PolynomialLr {
        Rules.atLeast("polynomiallr", "total_iters", totalIters, 1);
        if (!(power >= 0) || Double.isInfinite(power)) {
            throw Rules.invalid("polynomiallr", "power", power, "must be a finite number >= 0");
        }
    }

    /** PyTorch's defaults: linear decay over 5 steps. */
    public static PolynomialLr defaults() {
        return new PolynomialLr(5, 1.0);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        return group.lr() * StrictMath.pow(1.0 - (double) Math.min(totalIters, step) / totalIters, power);
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        if (step == 0 || step > totalIters) {
            return lr;
        }
        double factor = StrictMath.pow((1.0 - (double) step / totalIters) / (1.0 - (double) (step - 1) / totalIters), power);
        return lr * factor;
    }

    @Override
    public String toString() {
        return Rules.spec("polynomiallr", "total_iters", totalIters, "power", power);
    }
}
