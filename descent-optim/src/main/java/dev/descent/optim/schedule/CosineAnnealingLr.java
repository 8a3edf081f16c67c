package dev.descent.optim.schedule;

/**
 * Anneals the learning rate from its base value to {@code eta_min} along a half cosine over {@code T_max}
 * steps, as PyTorch's {@code CosineAnnealingLR} (Loshchilov and Hutter, 2017, "SGDR: Stochastic Gradient
 * Descent with Warm Restarts", the annealing without the restarts).
 *
 * <pre>
 *   closed form:  η_k = η_min + (η_0 − η_min) · (1 + cos(π k / T_max)) / 2
 *
 *   chainable:    η_0 = η_0
 *                 η_k = η_(k-1) + (η_0 − η_min) · (1 − cos(π / T_max)) / 2          if (k − 1 − T_max) mod 2T_max = 0
 *                 η_k = (1 + cos(π k / T_max)) / (1 + cos(π (k−1) / T_max)) · (η_(k-1) − η_min) + η_min   otherwise
 * </pre>
 * Past {@code T_max} the learning rate rises again (the cosine is periodic, not clamped), in both forms.
 *
 * <p><b>Which form.</b> PyTorch's {@code get_last_lr()} is the chainable recursion, not the closed form, and
 * the scheduler reproduces the recursion operation for operation. The two agree to about 1e-13 relative over
 * a few hundred steps, but the recursion amplifies rounding where {@code 1 + cos} is tiny (at the bottom of
 * each half period), and the error it picks up there stays in {@code η − η_min} as the lr climbs back: with
 * {@code eta_min} > 0 the drift reaches 3e-12 at {@code T_max} = 1000, 5e-10 at 10,000, and 6e-9 at 10,000
 * with {@code eta_min} above the base lr, beyond the 1e-9 to which descent matches PyTorch. Inside a
 * {@link ChainedScheduler} with {@code eta_min} > 0 the forms differ outright, since the recursion is an affine
 * map of whatever lr the other schedules left. {@link #closedForm} is the formula.
 *
 * @param tMax   {@code T_max}, the half period in steps, >= 1
 * @param etaMin {@code eta_min}, the lowest learning rate (default 0)
 */
public record CosineAnnealingLr(long tMax, double etaMin) implements ClosedFormSchedule {
    /** Checks the values; PyTorch checks neither ({@code T_max} = 0 divides by zero). */
    public CosineAnnealingLr {
        Rules.atLeast("cosineannealinglr", "T_max", tMax, 1);
        Rules.finite("cosineannealinglr", "eta_min", etaMin);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        return etaMin + (group.lr() - etaMin) * (1 + StrictMath.cos(Math.PI * step / tMax)) / 2;
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        if (step == 0) {
            return lr;
        }
        if (Math.floorMod(step - 1 - tMax, 2 * tMax) == 0) {
            return lr + (group.lr() - etaMin) * (1 - StrictMath.cos(Math.PI / tMax)) / 2;
        }
        return (1 + StrictMath.cos(Math.PI * step / tMax)) / (1 + StrictMath.cos(Math.PI * (step - 1) / tMax))
                * (lr - etaMin) + etaMin;
    }

    @Override
    public String toString() {
        return Rules.spec("cosineannealinglr", "T_max", tMax, "eta_min", etaMin);
    }
}
