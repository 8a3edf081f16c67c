package dev.descent.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the schedule-free methods share: the three sequences, the averaging weight, the warmup, and the
 * train/eval switch between the point the gradient is taken at and the averaged point.
 *
 * <pre>
 *   y_t = (1 − β) z_t + β x_t                       (the gradient is taken at y)
 *   z_{t+1} = z_t − γ_t d_t                         (d: the algorithm's direction at y)
 *   x_{t+1} = (1 − c_{t+1}) x_t + c_{t+1} z_{t+1}    (the averaged point, the method's answer)
 *   γ_t = lr · min(1, t / warmup_steps)
 *   c_{t+1} = w_t / Σ_{i≤t} w_i,   w_t = t^r · (max_{i≤t} γ_i)^weight_lr_power
 * </pre>
 * Defazio et al. (2024), "The Road Less Scheduled", NeurIPS, arXiv:2405.15682. As the reference,
 * facebookresearch/schedule_free, the parameter holds y while training and x while evaluating, z is the
 * state {@code z} (a copy of the parameter at its first step), and the step updates y in place without
 * storing x: y ← (1 − c) y + c z + γ (β (1 − c) − 1) d, then z ← z − γ d. {@link #eval()} moves every
 * parameter from y to x = (y − (1 − β) z)/β, {@link #train()} back to y; β is the algorithm's momentum.
 *
 * <p>The reference keeps the step count, Σw and max γ per group; here they are per parameter (its
 * {@code step}, {@code weight_sum} and {@code lr_max} scalars), which is the same while every parameter
 * of a group steps together. The mode is saved per group as {@code train_mode}, as the reference does.
 * The reference (since 1.3) starts in eval mode and refuses to step until {@code train()} is called; here an
 * optimizer starts in train mode so that loops that know nothing of modes (trace, bench, the trainer) work,
 * and {@link #step()} in eval mode throws IllegalStateException as there.
 */
public abstract class ScheduleFree extends Optimizer implements TrainEvalSwitch {
    private final boolean[] trainMode;

    /** Builds the optimizer in train mode. */
    protected ScheduleFree(Algorithm algorithm, Map<String, Object> defaults, List<ParamGroup> groups) {
        super(algorithm, defaults, groups);
        trainMode = new boolean[paramGroups().size()];
        Arrays.fill(trainMode, true);
    }

    /** β of the interpolation y = (1 − β) z + β x: SGD's momentum, or Adam's β₁. */
    protected abstract double beta(ParamGroup group);

    /** Whether every group is in train mode (parameters hold y), the mode {@link #step()} needs. */
    @Override
    public boolean isTraining() {
        for (boolean t : trainMode) {
            if (!t) {
                return false;
            }
        }
        return true;
    }

    /** Switches to train mode: every parameter that has state moves from x to y = (1 − β) z + β x. */
    @Override
    public void train() {
        swap(true);
    }

    /**
     * Switches to eval mode: every parameter that has state moves from y to the averaged point
     * x = (y − (1 − β) z)/β, the one to evaluate, test and save.
     */
    @Override
    public void eval() {
        swap(false);
    }

    private void swap(boolean toTrain) {
        List<ParamGroup> groups = paramGroups();
        for (int gi = 0; gi < groups.size(); gi++) {
            if (trainMode[gi] == toTrain) {
                continue;
            }
            double beta = beta(groups.get(gi));
            for (Param p : groups.get(gi).params()) {
                ParamState s = existingState(p);
                if (s != null && s.has("z")) {
                    move(p, s.buffer("z"), beta, toTrain);
                }
            }
            trainMode[gi] = toTrain;
        }
    }

    /**
     * Moves {@code p} from x to y = (1 − β) z + β x ({@code toTrain}) or from y to x = (y − (1 − β) z)/β, as the
     * reference's {@code p.lerp_(z, weight)} with weight 1 − β or 1 − 1/β; shared with the chain's
     * {@code schedule_free}.
     */
    public static void move(Param p, float[] z, double beta, boolean toTrain) {
        float weight = (float) (toTrain ? 1 - beta : 1 - 1 / beta);
        float[] w = p.store().data();
        for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) {
            w[i] = Math.fma(weight, z[i] - w[i], w[i]);
        }
    }

    /** Takes one step; throws IllegalStateException in eval mode, as the reference does. */
    @Override
    public void step() {
        requireTraining();
        super.step();
    }

    /** Evaluates {@code closure} and takes one step; refuses before evaluating anything in eval mode. */
    @Override
    public double step(Closure closure) {
        requireTraining();
        return super.step(closure);
    }

    private void requireTraining() {
        if (!isTraining()) {
            throw new IllegalStateException(name() + ": step() was called in eval mode; call train() before "
                    + "training steps and eval() before evaluating or saving");
        }
    }

    /**
     * One step's coefficients in float32, for y ← y + toZ (z − y) + yStep d and z ← z + negLr d:
     * toZ = c_{t+1}, yStep = γ_t (β (1 − c_{t+1}) − 1), negLr = −γ_t.
     */
    public record Step(float toZ, float yStep, float negLr) {
    }

    /**
     * The step's coefficients for {@code p}. Advances the parameter's {@code weight_sum} and {@code lr_max},
     * and creates z as a copy of the parameter at its first step.
     */
    protected Step schedule(ParamGroup group, Param p, ParamState state) {
        if (!state.has("z")) {
            float[] z = state.buffer("z");
            System.arraycopy(p.store().data(), p.offset(), z, p.offset(), p.size());
        }
        Schedule s = schedule(group.lr(), state.step(), group.integer("warmup_steps"), group.real("r"),
                group.real("weight_lr_power"), beta(group), state.scalar("lr_max", -1), state.scalar("weight_sum", 0));
        state.setScalar("lr_max", s.lrMax());
        state.setScalar("weight_sum", s.weightSum());
        return s.step();
    }

    /** One step's coefficients and the advanced running values {@code lr_max} and {@code weight_sum}. */
    public record Schedule(Step step, double lrMax, double weightSum) {
    }

    /**
     * The step's coefficients at step {@code t} for learning rate {@code lr} (before warmup), from the running
     * {@code lrMax} (−1 before the first step) and {@code weightSum}: the arithmetic the fused methods and the
     * chain's {@code schedule_free} share.
     */
    public static Schedule schedule(double lr, long t, long warmupSteps, double r, double weightLrPower, double beta,
                                    double lrMax, double weightSum) {
        double warmup = warmupSteps;
        double gamma = lr * (t - 1 < warmup ? t / warmup : 1);
        double max = Math.max(gamma, lrMax);
        double weight = Math.pow(t, r) * Math.pow(max, weightLrPower);
        double sum = weightSum + weight;
        double c = sum == 0 ? 0 : weight / sum;
        return new Schedule(new Step((float) c, (float) (gamma * (beta * (1 - c) - 1)), (float) -gamma), max, sum);
    }

    /**
     * The points' move at element i, the kernel the fused methods and the chain's {@code schedule_free} share:
     * y ← y + toZ (z − y) + yStep d, z ← z + negLr d, with y in {@code y[i]} and the step's coefficients from
     * {@link Step}.
     */
    public static void move(float[] y, float[] z, int i, float d, float toZ, float yStep, float negLr) {
        float yi = Math.fma(toZ, z[i] - y[i], y[i]);
        y[i] = Math.fma(d, yStep, yi);
        z[i] = Math.fma(d, negLr, z[i]);
    }

    /** The hyperparameters both methods (and the chain's {@code schedule_free}) share, after the algorithm's own. */
    public static List<Hyperparameter> shared() {
        return List.of(
                Hyperparameter.integer("warmup_steps", 0, 0),
                Hyperparameter.nonNegative("r", 0),
                Hyperparameter.nonNegative("weight_lr_power", 2));
    }

    @Override
    protected Map<String, Object> groupState(int index) {
        return Map.of("train_mode", trainMode[index]);
    }

    @Override
    protected void restoreGroupState(int index, Map<String, Object> saved) {
        trainMode[index] = (Boolean) saved.get("train_mode");
    }
}
