package dev.descent.optim.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running schedule over a fixed set of parameter groups: the number of scheduler steps taken and the
 * values in effect, with all of its state explicit and saveable.
 *
 * <p>Use it as PyTorch's scheduler: read {@link #lr(int)} (and {@link #momentum(int)}) for the next optimizer
 * step, take the optimizer step, then call {@link #step()} ({@link #step(double)} with the validation metric
 * for ReduceLROnPlateau). After k calls the values are PyTorch 1.13's {@code get_last_lr()} after k calls of
 * {@code scheduler.step()}.
 *
 * <p>{@link #state()} is a small map: the schedule's spec, the groups' base values, the step count and, only
 * for schedules whose PyTorch values depend on history, that history ({@code lr} for MultiplicativeLR and
 * ChainedScheduler, ReduceLROnPlateau's {@code best}, {@code num_bad_epochs} and {@code cooldown_counter},
 * the active child of a SequentialLR). Everything else is recomputed from the step count, so
 * {@link #load(Map)} into a scheduler started from the same schedule gives, from then on, exactly the values
 * the saving scheduler would have given. The values are {@code String}, {@code Long}, {@code Double},
 * {@code double[]} and nested maps; doubles may be infinite (ReduceLROnPlateau's initial {@code best}).
 */
public abstract class Scheduler {
    private final Schedule schedule;
    private final List<GroupBase> groups;
    /** The number of scheduler steps taken. */
    long step;

    Scheduler(Schedule schedule, List<GroupBase> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(schedule + ": got an empty list of parameter groups");
        }
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).index() != i) {
                throw new IllegalArgumentException(schedule + ": group " + i + " has index " + groups.get(i).index()
                        + "; list the groups in order, numbered from 0");
            }
        }
        this.schedule = schedule;
        this.groups = new ArrayList<>(groups);
        schedule.check(this.groups);
    }

    /** The schedule this scheduler runs. */
    public Schedule schedule() {
        return schedule;
    }

    /** The groups' base values (read-only). */
    public List<GroupBase> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** The number of scheduler steps taken since the start. */
    public long stepCount() {
        return step;
    }

    /** The learning rate of group {@code group} in effect now. */
    public abstract double lr(int group);

    /**
     * The momentum (or beta1) of group {@code group} in effect now: the schedule's when it cycles momentum,
     * else the group's base momentum; NaN when the group has none.
     */
    public abstract double momentum(int group);

    /** The learning rates of all groups, in group order. */
    public double[] lrs() {
        double[] out = new double[groups.size()];
        for (int g = 0; g < out.length; g++) {
            out[g] = lr(g);
        }
        return out;
    }

    /**
     * Takes one scheduler step.
     *
     * @throws IllegalStateException when the schedule needs a metric (ReduceLROnPlateau), or has run out
     *                               (OneCycleLR past {@code total_steps}); the scheduler is then unchanged
     */
    public final void step() {
        if (schedule.needsMetric()) {
            throw new IllegalStateException(schedule + " needs the metric at every step: call step(metric)");
        }
        advance(Double.NaN);
    }

    /**
     * Takes one scheduler step, giving ReduceLROnPlateau the metric it watches (other schedules ignore it).
     *
     * @throws IllegalStateException when the schedule has run out (OneCycleLR past {@code total_steps});
     *                               the scheduler is then unchanged
     */
    public final void step(double metric) {
        advance(metric);
    }

    /** Advances by one step; on an exception nothing changes. */
    abstract void advance(double metric);

    /** Adds this scheduler's own state, beyond {@code step}, to {@code state}. */
    abstract void save(Map<String, Object> state);

    /** Sets this scheduler to the state {@link #save} wrote (with {@code step}), the groups being set already. */
    abstract void restore(Map<String, Object> state);

    /** The state without the schedule and bases: what a composite saves for a child. */
    final Map<String, Object> saveState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        save(state);
        return state;
    }

    /**
     * A snapshot of everything needed to continue: the schedule's spec ({@code schedule}), the groups' base
     * values ({@code base_lr}, {@code base_momentum}), the step count ({@code step}) and any history.
     */
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("schedule", schedule.toString());
        double[] lr = new double[groups.size()];
        double[] momentum = new double[groups.size()];
        for (int g = 0; g < lr.length; g++) {
            lr[g] = groups.get(g).lr();
            momentum[g] = groups.get(g).momentum();
        }
        state.put("base_lr", lr);
        state.put("base_momentum", momentum);
        state.putAll(saveState());
        return state;
    }

    /**
     * Continues from a snapshot taken by {@link #state()} of a scheduler running the same schedule over the
     * same number of groups. The snapshot's base values replace this scheduler's, so it does not matter
     * whether this one was started from the configured learning rates or from an optimizer whose learning
     * rates the schedule had already changed.
     *
     * @throws IllegalArgumentException when the snapshot is of another schedule or another number of groups,
     *                                  or a value is missing or malformed
     */
    public void load(Map<String, Object> state) {
        Object saved = state.get("schedule");
        if (saved != null && !saved.toString().equals(schedule.toString())) {
            throw new IllegalArgumentException("cannot load the state of " + saved + " into a scheduler running " + schedule);
        }
        double[] lr = StateValues.doubles(state, "base_lr", groups.size());
        double[] momentum = StateValues.doubles(state, "base_momentum", groups.size());
        List<GroupBase> bases = new ArrayList<>();
        for (int g = 0; g < lr.length; g++) {
            GroupBase now = groups.get(g);
            if (Double.isNaN(momentum[g]) != !now.hasMomentum()) {
                throw new IllegalArgumentException("base_momentum[" + g + "]=" + momentum[g] + " does not fit group " + g
                        + (now.hasMomentum() ? ", which has a momentum" : ", which has no momentum"));
            }
            bases.add(new GroupBase(g, lr[g], momentum[g], now.momentumKind()));
        }
        schedule.check(bases);
        for (int g = 0; g < bases.size(); g++) {
            groups.set(g, bases.get(g));
        }
        restore(state);
    }

    /** The step count a state holds, checked. */
    static long savedStep(Map<String, Object> state) {
        long k = StateValues.integer(state, "step");
        if (k < 0) {
            throw new IllegalArgumentException("step=" + k + " is invalid: must be >= 0");
        }
        return k;
    }

    @Override
    public String toString() {
        return schedule + " at step " + step;
    }
}
