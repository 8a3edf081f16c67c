package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * Adamax, as PyTorch's {@code torch.optim.Adamax}: Adam with the second moment replaced by an
 * exponentially weighted infinity norm.
 *
 * <pre>
 *   g ← ±∇ + λθ
 *   m ← β₁ m + (1 − β₁) g
 *   u ← max(β₂ u, |g| + ε)                       (ε inside the max, so u > 0 from the first step)
 *   θ ← θ − γ/(1 − β₁ᵗ) · m / u                  (u needs no bias correction)
 * </pre>
 * Kingma and Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR, arXiv:1412.6980, section 7.1
 * (Algorithm 2). State: {@code exp_avg}, {@code exp_inf}, {@code step}.
 */
public final class Adamax extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("adamax", List.of(
            Hyperparameter.nonNegative("lr", 2e-3),
            Hyperparameter.betas(0.9, 0.999),
            Hyperparameter.nonNegative("eps", 1e-8),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("maximize", false)),
            null, Adamax::new);

    /** Builds Adamax over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Adamax(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] m = state.buffer("exp_avg");
        float[] u = state.buffer("exp_inf");
        double beta1 = group.real("betas", 0);
        float sign = group.flag("maximize") ? -1f : 1f;
        float decay = (float) group.real("weight_decay");
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) group.real("betas", 1);
        float eps = (float) group.real("eps");
        float negStep = (float) -(group.lr() / (1 - Math.pow(beta1, state.step())));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, sign * grad[i]);
                float mi = Math.fma(g, rest1, m[i] * b1);
                float ui = Math.max(u[i] * b2, Math.abs(g) + eps);
                m[i] = mi;
                u[i] = ui;
                w[i] += negStep * mi / ui;
            }
        };
    }
}
