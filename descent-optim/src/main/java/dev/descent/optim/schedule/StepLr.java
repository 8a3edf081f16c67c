package dev.descent.optim.schedule;

/**
 * Decays the learning rate by {@code gamma} every {@code step_size} steps, as PyTorch's {@code StepLR}.
 *
 * <pre>
 *   η_k = η_0 · γ^⌊k / step_size⌋
 * </pre>
 * The scheduler follows PyTorch's chainable form, {@code η_k = γ · η_(k-1)} when {@code k > 0} and
 * {@code k mod step_size = 0}, else {@code η_(k-1)}.
 *
 * @param stepSize {@code step_size}, the period of the decay, >= 1
 * @param gamma    {@code gamma}, the factor (PyTorch's default 0.1)
 */
public record StepLr(long stepSize, double gamma) implements ClosedFormSchedule {
    /** Checks the values. PyTorch does not check {@code step_size}; 0 there divides by zero at step 1. */
    public StepLr {
        Rules.atLeast("steplr", "step_size", stepSize, 1);
        Rules.finite("steplr", "gamma", gamma);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        return group.lr() * StrictMath.pow(gamma, Math.floorDiv(step, stepSize));
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        return step == 0 || step % stepSize != 0 ? lr : lr * gamma;
    }

    @Override
    public String toString() {
        return Rules.spec("steplr", "step_size", stepSize, "gamma", gamma);
    }
}
