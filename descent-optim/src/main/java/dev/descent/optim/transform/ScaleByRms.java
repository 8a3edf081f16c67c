package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_rms(alpha, eps, centered)}: divides the update by the running root mean square of the
 * updates, RMSprop's preconditioner, optionally centered by the running mean.
 *
 * <pre>
 *   v ← α v + (1 − α) u²
 *   m̄ ← α m̄ + (1 − α) u,   d ← √(v − m̄²) + ε     if centered
 *                           d ← √v + ε            otherwise  (ε outside the root)
 *   u ← c u / d                                    (c = 1 or a folded step size)
 * </pre>
 * Hinton, Srivastava and Swersky (2012), "Neural Networks for Machine Learning", lecture 6e; the centered form
 * from Graves (2013), arXiv:1308.0850. The names, defaults and arithmetic are PyTorch's RMSprop's
 * ({@link dev.descent.optim.RmsProp}); Optax calls α {@code decay}. State: {@code square_avg}, {@code grad_avg}
 * when centered.
 */
final class ScaleByRms extends Preconditioner {
    ScaleByRms() {
        super("scale_by_rms", List.of(
                Hyperparameter.nonNegative("alpha", 0.99),
                Hyperparameter.nonNegative("eps", 1e-8),
                Hyperparameter.flag("centered", false)), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        float[] v = step.buffer("square_avg");
        boolean centered = step.flag("centered");
        float[] mean = centered ? step.buffer("grad_avg") : null;
        float alpha = (float) step.real("alpha");
        float rest = (float) (1 - step.real("alpha"));
        float eps = (float) step.real("eps");
        float c = (float) factor;
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float vi = Math.fma(rest * g, g, v[i] * alpha);
                v[i] = vi;
                float d;
                if (centered) {
                    float m = Math.fma(g, rest, mean[i] * alpha);
                    mean[i] = m;
                    d = (float) Math.sqrt(Math.fma(-m, m, vi)) + eps;
                } else {
                    d = (float) Math.sqrt(vi) + eps;
                }
                u[i] = c * g / d;
            }
        };
    }
}
