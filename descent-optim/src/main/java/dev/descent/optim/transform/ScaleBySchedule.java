package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.schedule.Schedule;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.spec.Spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code scale_by_schedule(schedule)}: multiplies the update by a factor that follows a learning-rate schedule
 * over the parameter's own step count, u ← s(t − 1) u, where s(k) is what the schedule's scheduler gives a
 * group of base learning rate 1 after k scheduler steps (so step 1 uses s(0), as an optimizer stepped with the
 * scheduler after every step would).
 *
 * <pre>
 *   chain(scale_by_adam(), scale_by_schedule(cosineannealinglr(T_max=1000)), scale_by_learning_rate(1e-3))
 * </pre>
 * Optax's {@code scale_by_schedule}, with any schedule spec of {@link Schedules} except ReduceLROnPlateau
 * (it follows a metric, not the step count) and schedules that cycle momentum (give them
 * {@code cycle_momentum=false}: a transform cannot set another's β₁). Since s is a function of the step count,
 * which the chain saves per parameter, the state to save is that count: save, load and step go on exactly.
 * A schedule that sets the lr outright (OneCycleLR's {@code max_lr}) gives that value as the factor.
 * The factors, computed in double, are memoized per schedule (8 bytes a step, shared by every parameter and
 * every chain with an equal schedule). Positional argument: {@code schedule}, required. No state.
 */
final class ScaleBySchedule extends Scaling {
    /** s(0), s(1), ... per schedule spec, computed on demand; weak, so a schedule nobody holds is forgotten. */
    private static final Map<Spec, Factors> FACTORS = new WeakHashMap<>();

    ScaleBySchedule() {
        super("scale_by_schedule", "schedule", List.of(Hyperparameter.spec("schedule", ScaleBySchedule::check,
                "must be a schedule spec such as cosineannealinglr(T_max=100)")));
    }

    private static void check(Spec spec) {
        Schedule schedule = Schedules.of(spec);
        if (schedule.needsMetric()) {
            throw new IllegalArgumentException(schedule + " follows a metric, not the step count; use it as an lr scheduler");
        }
        if (schedule.cyclesMomentum()) {
            throw new IllegalArgumentException(schedule + " cycles momentum, which a factor on the update cannot; "
                    + "give it cycle_momentum=false");
        }
        schedule.start(1.0);
    }

    @Override
    protected double fold(double c, ParamStep step) {
        Spec spec = (Spec) step.value("schedule");
        Factors factors;
        synchronized (FACTORS) {
            factors = FACTORS.computeIfAbsent(spec, s -> new Factors(Schedules.of(s).start(1.0)));
        }
        return c * factors.at(step.step() - 1);
    }

    /** The factors of one schedule, s(0) .. s(n − 1), and the scheduler that gives the next. */
    private static final class Factors {
        private final Scheduler scheduler;
        private double[] values = new double[16];
        private int n;

        Factors(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        synchronized double at(long k) {
            while (n <= k) {
                if (n == values.length) {
                    values = Arrays.copyOf(values, 2 * n);
                }
                if (n > 0) {
                    scheduler.step();  // only when s(n) is asked for, so a schedule that runs out fails at that step
                }
                values[n++] = scheduler.lr(0);
            }
            return values[(int) k];
        }
    }
}
