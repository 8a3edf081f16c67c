package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_nadam(betas, eps, momentum_decay)}: Adam's moments with Nesterov momentum under a warming
 * momentum schedule, NAdam's preconditioner.
 *
 * <pre>
 *   μ_t ← β₁ (1 − ½ · 0.96^(t ψ)),  μ_{t+1} likewise     (ψ = momentum_decay)
 *   Π_t ← Π_{t−1} μ_t                                    (Π_0 = 1, kept in float32 as PyTorch does)
 *   m ← β₁ m + (1 − β₁) u,   v ← β₂ v + (1 − β₂) u²
 *   d ← √v / √(1 − β₂ᵗ) + ε
 *   u ← c (1 − μ_t)/(1 − Π_t) · u/d + c μ_{t+1}/(1 − Π_t μ_{t+1}) · m/d      (c = 1 or a folded step size)
 * </pre>
 * Dozat (2016), "Incorporating Nesterov Momentum into Adam", ICLR workshop. Names, defaults and arithmetic
 * are {@link dev.descent.optim.NAdam}'s (PyTorch 2.x's, 1.13's {@code foreach} path). PyTorch adds the two
 * terms to θ one after the other; when this transform takes the chain's step size it does the same
 * ({@link #land}), so the chain equals the fused NAdam bit for bit. State: {@code exp_avg}, {@code exp_avg_sq},
 * the scalar {@code mu_product}.
 */
final class ScaleByNadam extends Preconditioner {
    ScaleByNadam() {
        super("scale_by_nadam", List.of(
                Hyperparameter.betas(0.9, 0.999),
                Hyperparameter.nonNegative("eps", 1e-8),
                Hyperparameter.nonNegative("momentum_decay", 4e-3)), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        return loop(step, factor, null, 1f);
    }

    @Override
    protected Loop land(ParamStep step, double factor, float shrink) {
        return loop(step, factor, step.param().store().data(), shrink);
    }

    /** The step into u, or, with {@code w} given, onto θ ← θ·shrink + (first term) + (second term). */
    private static Loop loop(ParamStep step, double factor, float[] w, float shrink) {
        float[] u = step.update();
        float[] m = step.buffer("exp_avg");
        float[] v = step.buffer("exp_avg_sq");
        double beta1 = step.real("betas", 0);
        double beta2 = step.real("betas", 1);
        double psi = step.real("momentum_decay");
        long t = step.step();
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * psi));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
        float product = (float) step.scalar("mu_product", 1.0) * (float) mu;
        step.setScalar("mu_product", product);
        float gradStep = (float) (factor * (1 - mu) / (1 - product));
        float momentStep = (float) (factor * muNext / (1 - product * muNext));
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) step.real("eps");
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float mi = Math.fma(g, rest1, m[i] * b1);
                float vi = Math.fma(rest2 * g, g, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                float d = (float) Math.sqrt(vi) / correction2 + eps;
                if (w == null) {
                    u[i] = gradStep * g / d + momentStep * mi / d;
                } else {
                    float wi = w[i] * shrink + gradStep * g / d;
                    w[i] = wi + momentStep * mi / d;
                }
            }
        };
    }
}
