package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * NAdam: Adam with Nesterov momentum and a warming momentum schedule, as PyTorch 2.x's
 * {@code torch.optim.NAdam} (and 1.13's with {@code foreach=True}).
 *
 * <pre>
 *   g   ← ∇ + λθ
 *   μ_t ← β₁ (1 − ½ · 0.96^(t ψ)),  μ_{t+1} likewise     (ψ = momentum_decay)
 *   Π_t ← Π_{t−1} μ_t                                    (Π_0 = 1, kept in float32 as PyTorch does)
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
 *   d ← √v / √(1 − β₂ᵗ) + ε
 *   θ ← θ − γ (1 − μ_t)/(1 − Π_t) · g/d − γ μ_{t+1}/(1 − Π_t μ_{t+1}) · m/d
 * </pre>
 * PyTorch 1.13's default for-loop path multiplies Π by μ_t a second time in the last term; 2.0 fixed
 * that and 1.13's {@code foreach} path never had it. This is the fixed formula.
 * Dozat (2016), "Incorporating Nesterov Momentum into Adam", ICLR workshop; the schedule follows
 * Sutskever et al. (2013). State: {@code exp_avg}, {@code exp_avg_sq}, {@code mu_product}, {@code step}.
 */
public final class NAdam extends Optimizer {
    /** The description, with PyTorch's defaults (1.13 has no {@code maximize} for NAdam). */
    public static final Algorithm ALGORITHM = Algorithm.of("nadam", List.of(
            Hyperparameter.nonNegative("lr", 2e-3),
            Hyperparameter.betas(0.9, 0.999),
            Hyperparameter.nonNegative("eps", 1e-8),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.nonNegative("momentum_decay", 4e-3)),
            null, NAdam::new);

    /** Builds NAdam over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public NAdam(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] m = state.buffer("exp_avg");
        float[] v = state.buffer("exp_avg_sq");
        double beta1 = group.real("betas", 0);
        double beta2 = group.real("betas", 1);
        double psi = group.real("momentum_decay");
        long t = state.step();
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * psi));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
        float product = (float) state.scalar("mu_product", 1.0) * (float) mu;
        state.setScalar("mu_product", product);
        float negGradStep = (float) (group.lr() * (1 - mu) / (1 - product) * -1);
        float negMomentStep = (float) (group.lr() * muNext / (1 - product * muNext) * -1);
        float decay = (float) group.real("weight_decay");
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) group.real("eps");
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, grad[i]);
                float mi = Math.fma(g, rest1, m[i] * b1);
                float vi = Math.fma(rest2 * g, g, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                float d = (float) Math.sqrt(vi) / correction2 + eps;
                float wi = w[i] + negGradStep * g / d;
                w[i] = wi + negMomentStep * mi / d;
            }
        };
    }
}
