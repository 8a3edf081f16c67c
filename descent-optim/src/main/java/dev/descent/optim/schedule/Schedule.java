package dev.descent.optim.schedule;

import java.util.List;

/**
 * A learning-rate schedule (and, for CyclicLR and OneCycleLR, a momentum schedule): an immutable description,
 * parsed from a spec such as {@code steplr(step_size=10, gamma=0.5)} by {@link Schedules#parse(String)}.
 *
 * <p>{@link #start(List)} gives a {@link Scheduler}, which holds the step count and the values in effect.
 * Its values after k calls of {@code step()} are what PyTorch 1.13's {@code get_last_lr()} returns after k
 * calls of {@code scheduler.step()}, that is, what optimizer step k + 1 uses; k = 0 is the value right after
 * construction (PyTorch's initial step). Most schedules are pure functions of k and of the group's base
 * values; those whose PyTorch values depend on history (ReduceLROnPlateau's metrics, MultiplicativeLR's and
 * ChainedScheduler's products of past factors) keep that history in the scheduler's saveable state.
 */
public interface Schedule {
    /**
     * Starts the schedule over parameter groups with the given base values; the scheduler holds the values
     * of step 0.
     *
     * @throws IllegalArgumentException when a per-group setting (a list of {@code max_lr}, say) does not
     *                                  match the number of groups, or the schedule cycles a momentum a group lacks
     */
    Scheduler start(List<GroupBase> groups);

    /** Starts the schedule over one group without momentum whose base learning rate is {@code lr}. */
    default Scheduler start(double lr) {
        return start(List.of(GroupBase.of(0, lr)));
    }

    /** Checks per-group settings against the groups (called by {@link #start}; composites check their parts). */
    default void check(List<GroupBase> groups) {
    }

    /** Whether the schedule sets the groups' momentum (CyclicLR and OneCycleLR with {@code cycle_momentum}). */
    default boolean cyclesMomentum() {
        return false;
    }

    /** Whether each step needs a metric ({@link ReduceLrOnPlateau}): call {@link Scheduler#step(double)}. */
    default boolean needsMetric() {
        return false;
    }
}
