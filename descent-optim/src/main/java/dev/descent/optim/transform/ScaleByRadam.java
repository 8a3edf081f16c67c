package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_radam(betas, eps)}: Adam's moments with the variance of the adaptive step rectified; plain
 * bias-corrected momentum while too few steps have been seen to estimate that variance.
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) u,   v ← β₂ v + (1 − β₂) u²,   m̂ ← m / (1 − β₁ᵗ)
 *   ρ_∞ ← 2/(1 − β₂) − 1,    ρ_t ← ρ_∞ − 2t β₂ᵗ / (1 − β₂ᵗ)
 *   if ρ_t &gt; 5:  r ← √( (ρ_t − 4)(ρ_t − 2) ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2) ρ_t) )
 *                u ← c m̂ · √(1 − β₂ᵗ)/(√v + ε) · r
 *   otherwise:   u ← c m̂                       (c = 1 or a folded step size)
 * </pre>
 * Liu et al. (2020), "On the Variance of the Adaptive Learning Rate and Beyond", ICLR, arXiv:1908.03265.
 * Names, defaults and arithmetic are PyTorch's RAdam's ({@link dev.descent.optim.RAdam}).
 * State: {@code exp_avg}, {@code exp_avg_sq}.
 */
final class ScaleByRadam extends Preconditioner {
    ScaleByRadam() {
        super("scale_by_radam", List.of(
                Hyperparameter.betas(0.9, 0.999),
                Hyperparameter.nonNegative("eps", 1e-8)), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        float[] m = step.buffer("exp_avg");
        float[] v = step.buffer("exp_avg_sq");
        double beta1 = step.real("betas", 0);
        double beta2 = step.real("betas", 1);
        long t = step.step();
        double correction2 = 1 - Math.pow(beta2, t);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / correction2;
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c = (float) factor;
        boolean rectified = rhoT > 5;
        float rect = rectified ? (float) Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 1f;
        float root2 = (float) Math.sqrt(correction2);
        float eps = (float) step.real("eps");
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float mi = Math.fma(g, rest1, m[i] * b1);
                float vi = Math.fma(rest2 * g, g, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                if (rectified) {
                    // PyTorch's √(1 − β₂ᵗ) / (√v + ε), computed as a reciprocal times the scalar.
                    float adaptive = 1f / ((float) Math.sqrt(vi) + eps) * root2;
                    u[i] = mi / c1 * c * adaptive * rect;
                } else {
                    u[i] = mi / c1 * c;
                }
            }
        };
    }
}
