package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_belief(betas, eps)}: rescales the update as Adam does, but with a second moment that tracks
 * the update's variance around its running mean (the "belief" in it), AdaBelief's preconditioner.
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) u
 *   s ← β₂ s + (1 − β₂) (u − m)² + ε                (ε added inside s, and stored)
 *   u ← c/(1 − β₁ᵗ) · m / (√s / √(1 − β₂ᵗ) + ε)     (c = 1 or a folded step size)
 * </pre>
 * Zhuang et al. (2020), "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients",
 * NeurIPS, arXiv:2010.07468, Algorithm 2; names, defaults ({@code eps=1e-16}) and arithmetic are
 * {@link dev.descent.optim.AdaBelief}'s. Optax's name is the same. State: {@code exp_avg}, {@code exp_avg_var}.
 */
final class ScaleByBelief extends Preconditioner {
    ScaleByBelief() {
        super("scale_by_belief", List.of(
                Hyperparameter.betas(0.9, 0.999),
                Hyperparameter.nonNegative("eps", 1e-16)), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        float[] m = step.buffer("exp_avg");
        float[] s = step.buffer("exp_avg_var");
        double beta1 = step.real("betas", 0);
        double beta2 = step.real("betas", 1);
        long t = step.step();
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) step.real("eps");
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float size = (float) (factor / (1 - Math.pow(beta1, t)));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float mi = Math.fma(g, rest1, m[i] * b1);
                float r = mi - g; // not g − mi: the same square, and C2 keeps it vectorized (see AdaBelief)
                float si = Math.fma(rest2 * r, r, s[i] * b2) + eps;
                m[i] = mi;
                s[i] = si;
                u[i] = size * mi / ((float) Math.sqrt(si) / correction2 + eps);
            }
        };
    }
}
