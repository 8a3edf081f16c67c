package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.ScheduleFree;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code schedule_free(b1, warmup_steps, r, weight_lr_power)}: the schedule-free averaging of Defazio et al.
 * around the base method that the transforms before it make: the update u reaching it is the base direction d,
 * taken at y, and it moves the two points the parameter does not hold.
 *
 * <pre>
 *   γ = −c                                   (c: the folded scalings after it, so scale_by_learning_rate(γ) gives γ)
 *   γ_t = γ · min(1, t / warmup_steps),   c_{t+1} = w_t / Σ_{i≤t} w_i,   w_t = t^r (max_{i≤t} γ_i)^weight_lr_power
 *   y ← (1 − c_{t+1}) y + c_{t+1} z + γ_t (β (1 − c_{t+1}) − 1) d,   z ← z − γ_t d      (β = b1)
 * </pre>
 * Defazio et al. (2024), "The Road Less Scheduled", NeurIPS, arXiv:2405.15682, Algorithm 1, as
 * facebookresearch/schedule_free computes it; the coefficients and the move are {@link ScheduleFree}'s
 * ({@link ScheduleFree#schedule}, {@link ScheduleFree#move}), so
 * {@code sgd_schedulefree(lr=γ, momentum=β, weight_decay=λ, ...)} equals
 * {@code chain(add_decayed_weights(λ), schedule_free(b1=β, ...), scale_by_learning_rate(γ))} and
 * {@code adamw_schedulefree(lr=γ, betas=(β, β₂), eps, weight_decay=λ, ...)} equals
 * {@code chain(scale_by_rms(alpha=β₂, eps, bias_correction=true), add_decayed_weights(λ), schedule_free(b1=β, ...),
 * scale_by_learning_rate(γ))}, bit for bit.
 *
 * <p>The design: Optax's {@code optax.contrib.schedule_free} wraps a base optimizer whose update already holds the
 * learning rate, and recomputes x and y from z and the parameters each step. Here the wrapped base is the chain
 * before this transform (a direction, without the learning rate), the learning rate comes from the scalings after
 * it, and, as in the reference, the parameter holds y while training and only z is kept. So it is a transform that
 * lands the step itself ({@link Preconditioner#mustLand()}), right before the final scalings. The train/eval switch
 * belongs to the optimizer: a chain holding {@code schedule_free} is a {@link dev.descent.optim.TrainEvalSwitch}
 * whose {@code eval()} moves every parameter to the averaged point x and {@code train()} back to y, with each
 * group's {@code train_mode} saved, as for the fused methods. State: {@code z} (a copy of the parameter at its
 * first step), {@code weight_sum}, {@code lr_max}.
 */
final class ScheduleFreeTransform extends Lands {
    ScheduleFreeTransform() {
        super("schedule_free", declared(), null);
    }

    private static List<Hyperparameter> declared() {
        List<Hyperparameter> list = new ArrayList<>();
        list.add(Hyperparameter.real("b1", 0.9, x -> x > 0 && x < 1, "must be in (0, 1) (eval divides by it)"));
        list.addAll(ScheduleFree.shared());
        return list;
    }

    @Override
    protected Loop land(ParamStep step, double factor, float shrink) {
        float[] y = step.params();
        float[] u = step.update();
        if (!step.has("z")) {
            System.arraycopy(y, step.from(), step.buffer("z"), step.from(), step.to() - step.from());
        }
        float[] z = step.buffer("z");
        ScheduleFree.Schedule s = ScheduleFree.schedule(-factor, step.step(), step.integer("warmup_steps"), step.real("r"),
                step.real("weight_lr_power"), step.real("b1"), step.scalar("lr_max", -1), step.scalar("weight_sum", 0));
        step.setScalar("lr_max", s.lrMax());
        step.setScalar("weight_sum", s.weightSum());
        float toZ = s.step().toZ();
        float yStep = s.step().yStep();
        float negLr = s.step().negLr();
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                ScheduleFree.move(y, z, i, u[i], toZ, yStep, negLr);
            }
        };
    }
}
