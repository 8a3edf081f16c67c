package dev.descent.optim.schedule;

import java.util.List;
import java.util.Map;

/**
 * A linear warm-up in front of any schedule: for {@code warmup_steps} steps the learning rate rises linearly
 * from {@code start_factor} times the schedule's first value to that value, then the schedule runs from its
 * own step 0.
 *
 * <pre>
 *   η_k = inner_0 · (s + (1 − s) · k / W)    for k < W        (W = warmup_steps, s = start_factor)
 *   η_k = inner_(k − W)                      for k ≥ W
 * </pre>
 * {@code inner_0} is the schedule's value at its step 0, which is the base lr for most schedules and
 * {@code base_lr} or {@code max_lr / div_factor} for CyclicLR and OneCycleLR. The momentum is the schedule's
 * (its step-0 value during the warm-up). Unlike {@link SequentialLr}, the schedule may be any, including
 * ReduceLROnPlateau, which receives the metrics from step W + 1 on (the warm-up ignores them).
 *
 * @param schedule    the schedule that follows the warm-up
 * @param warmupSteps {@code warmup_steps}, >= 0 (0: no warm-up)
 * @param startFactor {@code start_factor}, in [0, 1] (default 0)
 */
public record LinearWarmup(Schedule schedule, long warmupSteps, double startFactor) implements Schedule {
    /** Checks the values. */
    public LinearWarmup {
        if (schedule == null) {
            throw new IllegalArgumentException("linearwarmup: needs the schedule to warm up to, e.g. "
                    + "linearwarmup(cosineannealinglr(T_max=95), warmup_steps=5)");
        }
        Rules.atLeast("linearwarmup", "warmup_steps", warmupSteps, 0);
        Rules.between("linearwarmup", "start_factor", startFactor, 0, 1);
    }

    @Override
    public Scheduler start(List<GroupBase> groups) {
        return new Runtime(this, groups);
    }

    @Override
    public void check(List<GroupBase> groups) {
        schedule.check(groups);
    }

    @Override
    public boolean cyclesMomentum() {
        return schedule.cyclesMomentum();
    }

    @Override
    public boolean needsMetric() {
        return schedule.needsMetric();
    }

    @Override
    public String toString() {
        return "linearwarmup(" + schedule + ", warmup_steps=" + warmupSteps + ", start_factor=" + Rules.render(startFactor) + ")";
    }

    /** Holds the inner scheduler, which stays at its step 0 until the warm-up ends. */
    private static final class Runtime extends Scheduler {
        private final LinearWarmup warmup;
        private Scheduler inner;

        Runtime(LinearWarmup warmup, List<GroupBase> groups) {
            super(warmup, groups);
            this.warmup = warmup;
            this.inner = warmup.schedule.start(groups);
        }

        @Override
        public double lr(int group) {
            if (step >= warmup.warmupSteps) {
                return inner.lr(group);
            }
            double s = warmup.startFactor;
            return inner.lr(group) * (s + (1 - s) * step / warmup.warmupSteps);
        }

        @Override
        public double momentum(int group) {
            return inner.momentum(group);
        }

        @Override
        void advance(double metric) {
            if (step + 1 > warmup.warmupSteps) {
                inner.advance(metric);
            }
            step++;
        }

        @Override
        void save(Map<String, Object> state) {
            state.put("inner", inner.saveState());
        }

        @Override
        void restore(Map<String, Object> state) {
            long k = savedStep(state);
            Map<String, Object> saved = StateValues.map(state, "inner");
            long expected = Math.max(0, k - warmup.warmupSteps);
            if (savedStep(saved) != expected) {
                throw new IllegalArgumentException("linearwarmup state: at step " + k + " the schedule must be at step "
                        + expected + ", but inner.step=" + savedStep(saved));
            }
            Scheduler fresh = warmup.schedule.start(groups());
            fresh.restore(saved);
            inner = fresh;
            step = k;
        }
    }
}
