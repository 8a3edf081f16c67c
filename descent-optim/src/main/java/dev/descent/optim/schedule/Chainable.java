package dev.descent.optim.schedule;

import java.util.List;

/**
 * A schedule PyTorch can chain: one scheduler step maps the learning rate a group holds to the next one.
 * This is PyTorch's {@code get_lr()} ("the chainable form"), which multiplies the group's current lr by a
 * factor (StepLR, ExponentialLR, LinearLR...), applies an affine map (CosineAnnealingLR), or sets the lr
 * outright (CyclicLR, OneCycleLR, LambdaLR, CosineAnnealingWarmRestarts).
 *
 * <p>Started alone, a chainable schedule's lr after k steps is {@code chain(k, ... chain(1, chain(0, base)))},
 * exactly as PyTorch computes it; {@link ChainedScheduler} applies several in turn at each step.
 */
public interface Chainable extends Schedule {
    /**
     * The lr after scheduler step {@code step} (0 is the construction step), given the lr the group held
     * before it: PyTorch's {@code get_lr()} with {@code last_epoch = step}.
     */
    double chain(long step, double lr, GroupBase group);

    /** The momentum in effect after {@code step} steps; the group's base momentum unless {@link #cyclesMomentum()}. */
    default double momentum(long step, GroupBase group) {
        return group.momentum();
    }

    /**
     * Whether {@link #chain} depends on {@code step}, {@code lr} and {@code group} alone, so that a
     * scheduler can recompute its lr from the step count (false for MultiplicativeLR, whose factor is an
     * arbitrary Java function: its scheduler saves the lr instead).
     */
    default boolean replayable() {
        return true;
    }

    @Override
    default Scheduler start(List<GroupBase> groups) {
        return new ChainScheduler(this, List.of(this), groups);
    }
}
