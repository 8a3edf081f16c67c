package dev.descent.optim.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies several chainable schedules at every step, each to the lr the previous one left, as PyTorch's
 * {@code ChainedScheduler}: {@code chainedscheduler(constantlr(factor=0.1, total_iters=2), exponentiallr(gamma=0.9))}.
 *
 * <pre>
 *   η_(-1) = base lr,    η_k = chain_n(k, ... chain_2(k, chain_1(k, η_(k-1))))
 * </pre>
 * For multiplicative schedules (StepLR, ExponentialLR, ConstantLR, LinearLR, PolynomialLR, MultiStepLR,
 * MultiplicativeLR) this is the product of their factors. CosineAnnealingLR's step is affine when
 * {@code eta_min} > 0, and schedules that set the lr outright (CyclicLR, OneCycleLR, LambdaLR,
 * CosineAnnealingWarmRestarts, the Keras ones) discard what came before them in the chain at each step: a
 * later ExponentialLR then multiplies their value by {@code gamma} once, not by {@code gamma^k}. That is what
 * PyTorch does, and it is why the lr is part of the saved state (it is recomputed from the step count when every
 * link is a pure function; saved as {@code lr} when a MultiplicativeLR is inside). The momentum is that of the
 * last momentum-cycling schedule.
 *
 * <p>The children must be chainable: not SequentialLR or LinearWarmup (PyTorch's SequentialLR constructor
 * resets the lr the chain had set), nor ReduceLROnPlateau.
 *
 * @param schedulers the chained schedules, at least one
 */
public record ChainedScheduler(List<Chainable> schedulers) implements Chainable {
    /** Checks there is at least one schedule. */
    public ChainedScheduler {
        schedulers = List.copyOf(schedulers);
        if (schedulers.isEmpty()) {
            throw new IllegalArgumentException("chainedscheduler: needs at least one schedule, e.g. chainedscheduler("
                    + "constantlr(factor=0.1, total_iters=2), exponentiallr(gamma=0.9))");
        }
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        for (Chainable c : schedulers) {
            lr = c.chain(step, lr, group);
        }
        return lr;
    }

    @Override
    public double momentum(long step, GroupBase group) {
        double momentum = group.momentum();
        for (Chainable c : schedulers) {
            if (c.cyclesMomentum()) {
                momentum = c.momentum(step, group);
            }
        }
        return momentum;
    }

    @Override
    public boolean replayable() {
        return schedulers.stream().allMatch(Chainable::replayable);
    }

    @Override
    public boolean cyclesMomentum() {
        return schedulers.stream().anyMatch(Schedule::cyclesMomentum);
    }

    @Override
    public void check(List<GroupBase> groups) {
        schedulers.forEach(s -> s.check(groups));
    }

    @Override
    public Scheduler start(List<GroupBase> groups) {
        return new ChainScheduler(this, schedulers, groups);
    }

    @Override
    public String toString() {
        List<String> args = new ArrayList<>();
        schedulers.forEach(s -> args.add(s.toString()));
        return "chainedscheduler(" + String.join(", ", args) + ")";
    }
}
