package dev.descent.optim.schedule;

/**
 * Decays the learning rate by {@code gamma} every step, as PyTorch's {@code ExponentialLR}.
 *
 * <pre>
 *   η_k = η_0 · γ^k
 * </pre>
 * The scheduler follows PyTorch's chainable form, {@code η_k = γ · η_(k-1)}.
 *
 * @param gamma {@code gamma}, required
 */
public record ExponentialLr(double gamma) implements ClosedFormSchedule {
    /** Checks the value is finite (PyTorch checks nothing). */
    public ExponentialLr {
        Rules.finite("exponentiallr", "gamma", gamma);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        return group.lr() * StrictMath.pow(gamma, step);
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        return step == 0 ? lr : lr * gamma;
    }

    @Override
    public String toString() {
        return Rules.spec("exponentiallr", "gamma", gamma);
    }
}
