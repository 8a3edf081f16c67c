package dev.descent.optim.schedule;

/**
 * A schedule with a closed form: its value after k steps as a formula of k and the group's base values,
 * PyTorch's {@code _get_closed_form_lr()}.
 *
 * <p>For the schedules that set the lr outright (CyclicLR, OneCycleLR, LambdaLR, CosineAnnealingWarmRestarts
 * and the non-PyTorch ones) the closed form is what the scheduler returns. For the multiplicative ones
 * (StepLR, ExponentialLR, LinearLR, ...) and CosineAnnealingLR, PyTorch's {@code get_last_lr()} comes from the
 * chainable form instead ({@link #chain}), which follows the formula up to rounding; the scheduler returns
 * the chainable form, and {@link #closedForm} is the formula, for plots and for pure-function use.
 */
public interface ClosedFormSchedule extends Chainable {
    /** The value after {@code step} scheduler steps for a group with these base values. */
    double closedForm(long step, GroupBase group);

    /** Sets the lr outright: the closed form, whatever the group held. */
    @Override
    default double chain(long step, double lr, GroupBase group) {
        return closedForm(step, group);
    }
}
