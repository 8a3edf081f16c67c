package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * RAdam: Adam with the variance of its adaptive step rectified, as PyTorch's {@code torch.optim.RAdam}.
 * While too few steps have been seen to estimate that variance, it takes plain momentum steps.
 *
 * <pre>
 *   g   ← ∇ + λθ
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   m̂ ← m / (1 − β₁ᵗ)
 *   ρ_∞ ← 2/(1 − β₂) − 1,    ρ_t ← ρ_∞ − 2t β₂ᵗ / (1 − β₂ᵗ)
 *   if ρ_t > 5:  r ← √( (ρ_t − 4)(ρ_t − 2) ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2) ρ_t) )
 *                θ ← θ − γ m̂ · √(1 − β₂ᵗ)/(√v + ε) · r
 *   otherwise:   θ ← θ − γ m̂                     (plain momentum; with β₂ = 0.999, for t ≤ 5)
 * </pre>
 * Liu et al. (2020), "On the Variance of the Adaptive Learning Rate and Beyond", ICLR, arXiv:1908.03265.
 * PyTorch 1.13's RAdam has no {@code maximize}, and neither has this one.
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code step}.
 */
public final class RAdam extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("radam", List.of(
            Hyperparameter.nonNegative("lr", 1e-3),
            Hyperparameter.betas(0.9, 0.999),
            Hyperparameter.nonNegative("eps", 1e-8),
            Hyperparameter.nonNegative("weight_decay", 0)),
            null, RAdam::new);

    /** Builds RAdam over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public RAdam(Map<String, Object> defaults, List<ParamGroup> groups) {
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
        long t = state.step();
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / correction2;
        float decay = (float) group.real("weight_decay");
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float c1 = (float) correction1;
        float lr = (float) group.lr();
        if (rhoT > 5) {
            float rect = (float) Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            float root2 = (float) Math.sqrt(correction2);
            float eps = (float) group.real("eps");
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = Math.fma(w[i], decay, grad[i]);
                    float mi = Math.fma(g, rest1, m[i] * b1);
                    float vi = Math.fma(rest2 * g, g, v[i] * b2);
                    m[i] = mi;
                    v[i] = vi;
                    // PyTorch writes √(1 − β₂ᵗ) / (√v + ε), which it computes as a reciprocal times the scalar.
                    float adaptive = 1f / ((float) Math.sqrt(vi) + eps) * root2;
                    w[i] -= mi / c1 * lr * adaptive * rect;
                }
            };
        }
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, grad[i]);
                float mi = Math.fma(g, rest1, m[i] * b1);
                m[i] = mi;
                v[i] = Math.fma(rest2 * g, g, v[i] * b2);
                w[i] -= mi / c1 * lr;
            }
        };
    }
}
