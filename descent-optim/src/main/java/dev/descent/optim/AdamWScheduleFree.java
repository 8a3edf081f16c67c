package dev.descent.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Schedule-free AdamW: the schedule-free averaging of {@link ScheduleFree} with Adam's second-moment
 * scaling as the base step (no first moment: the interpolation with the average plays its part).
 *
 * <pre>
 *   v ← β₂ v + (1 − β₂) g²
 *   d ← g / (√(v / (1 − β₂ᵗ)) + ε) + λ y              (weight decay at y, after the scaling)
 *   y ← (1 − c) y + c z + γ_t (β₁ (1 − c) − 1) d
 *   z ← z − γ_t d
 * </pre>
 * with γ_t and c = c_{t+1} as in {@link ScheduleFree}. Defazio et al. (2024), "The Road Less Scheduled",
 * NeurIPS, arXiv:2405.15682, Algorithm 1 with Adam as the base method. The reference is
 * {@code AdamWScheduleFree} in facebookresearch/schedule_free ({@code schedulefree/adamw_schedulefree.py},
 * the version that divides v by its bias correction; earlier ones folded √(1 − β₂ᵗ) into γ and lr_max),
 * whose names and defaults these are: {@code lr=0.0025}, {@code betas=(0.9, 0.999)}, {@code eps=1e-8},
 * {@code weight_decay=0}, {@code warmup_steps=0}, {@code r=0}, {@code weight_lr_power=2}. The reference
 * validates nothing; here β₁ must be in (0, 1), since eval divides by it. Call {@link #eval()} before
 * evaluating or saving the model and {@link #train()} before training again.
 * State: {@code z}, {@code exp_avg_sq}, {@code weight_sum}, {@code lr_max}, {@code step}; per group {@code train_mode}.
 */
public final class AdamWScheduleFree extends ScheduleFree {
    /** The description, with the reference's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("adamw_schedulefree", hyperparameters(), AdamWScheduleFree::checkBeta1,
            AdamWScheduleFree::new);

    private static List<Hyperparameter> hyperparameters() {
        List<Hyperparameter> list = new ArrayList<>(List.of(
                Hyperparameter.nonNegative("lr", 0.0025),
                Hyperparameter.betas(0.9, 0.999),
                Hyperparameter.nonNegative("eps", 1e-8),
                Hyperparameter.nonNegative("weight_decay", 0)));
        list.addAll(shared());
        return list;
    }

    private static void checkBeta1(Map<String, Object> v) {
        double beta1 = ((double[]) v.get("betas"))[0];
        if (beta1 == 0) {
            throw new IllegalArgumentException("adamw_schedulefree: betas=" + Hyperparameter.render(v.get("betas"))
                    + " is invalid: element 0 (0.0) must be > 0, since eval() divides by it");
        }
    }

    /** Builds schedule-free AdamW over {@code groups}, in train mode; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public AdamWScheduleFree(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected double beta(ParamGroup group) {
        return group.real("betas", 0);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        Step s = schedule(group, p, state);
        float[] y = p.store().data();
        float[] grad = p.store().grad();
        float[] z = state.buffer("z");
        float[] v = state.buffer("exp_avg_sq");
        double beta2 = group.real("betas", 1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float correction2 = (float) (1 - Math.pow(beta2, state.step()));
        float eps = (float) group.real("eps");
        float decay = (float) group.real("weight_decay");
        float toZ = s.toZ();
        float yStep = s.yStep();
        float negLr = s.negLr();
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = grad[i];
                float vi = Math.fma(rest2 * g, g, v[i] * b2);
                float d = Math.fma(y[i], decay, g / ((float) Math.sqrt(vi / correction2) + eps));
                move(y, z, i, d, toZ, yStep, negLr);  // before storing v: loading y and z after a store keeps C2 from vectorizing
                v[i] = vi;
            }
        };
    }
}
