package dev.descent.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Schedule-free SGD: SGD whose iterate is averaged online, with the gradient taken at an interpolation
 * between the average and the SGD iterate, so that no learning-rate schedule is needed.
 *
 * <pre>
 *   d ← ∇f(y) + λ y                                 (coupled weight decay, at y)
 *   y ← (1 − c) y + c z + γ_t (β (1 − c) − 1) d      (β = momentum)
 *   z ← z − γ_t d
 * </pre>
 * with γ_t and c = c_{t+1} as in {@link ScheduleFree}; equivalently z_{t+1} = z_t − γ_t d,
 * x_{t+1} = (1 − c) x_t + c z_{t+1}, y = (1 − β) z + β x. Defazio et al. (2024), "The Road Less Scheduled",
 * NeurIPS, arXiv:2405.15682, Algorithm 1 with SGD as the base method. The reference is
 * {@code SGDScheduleFree} in facebookresearch/schedule_free ({@code schedulefree/sgd_schedulefree.py}),
 * whose names, defaults and validation these are: {@code lr=1.0}, {@code momentum=0.9} (in (0, 1): eval
 * divides by it), {@code weight_decay=0}, {@code warmup_steps=0}, {@code r=0}, {@code weight_lr_power=2}.
 * Call {@link #eval()} before evaluating or saving the model and {@link #train()} before training again.
 * State: {@code z}, {@code weight_sum}, {@code lr_max}, {@code step}; per group {@code train_mode}.
 */
public final class SgdScheduleFree extends ScheduleFree {
    /** The description, with the reference's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("sgd_schedulefree", hyperparameters(), null, SgdScheduleFree::new);

    private static List<Hyperparameter> hyperparameters() {
        List<Hyperparameter> list = new ArrayList<>(List.of(
                Hyperparameter.nonNegative("lr", 1.0),
                Hyperparameter.real("momentum", 0.9, x -> x > 0 && x < 1, "must be in (0, 1)"),
                Hyperparameter.nonNegative("weight_decay", 0)));
        list.addAll(shared());
        return list;
    }

    /** Builds schedule-free SGD over {@code groups}, in train mode; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public SgdScheduleFree(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected double beta(ParamGroup group) {
        return group.real("momentum");
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        Step s = schedule(group, p, state);
        float[] y = p.store().data();
        float[] grad = p.store().grad();
        float[] z = state.buffer("z");
        float decay = (float) group.real("weight_decay");
        float toZ = s.toZ();
        float yStep = s.yStep();
        float negLr = s.negLr();
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                move(y, z, i, Math.fma(y[i], decay, grad[i]), toZ, yStep, negLr);
            }
        };
    }
}
