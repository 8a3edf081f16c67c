package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_rms(alpha, eps, centered, eps_placement, bias_correction)}: divides the update by the running
 * root mean square of the updates, RMSprop's preconditioner, optionally centered by the running mean.
 *
 * <pre>
 *   v ← α v + (1 − α) u²,   v̂ = v / (1 − αᵗ) if bias_correction, else v
 *   m̄ ← α m̄ + (1 − α) u,   d ← √(v̂ − m̄²) + ε     if centered
 *                           d ← √v̂ + ε            otherwise  (ε outside the root)
 *   d ← √(v̂ − m̄² + ε) or √(v̂ + ε)                 with eps_placement="keras" (ε inside the root)
 *   u ← c u / d                                    (c = 1 or a folded step size)
 * </pre>
 * Hinton, Srivastava and Swersky (2012), "Neural Networks for Machine Learning", lecture 6e; the centered form
 * from Graves (2013), arXiv:1308.0850. The names, defaults and arithmetic are PyTorch's RMSprop's
 * ({@link dev.descent.optim.RmsProp}), {@code eps_placement} ({@code "torch"} or {@code "keras"}) included; Optax
 * calls α {@code decay} and the Keras placement {@code eps_in_sqrt=True}. {@code bias_correction} (default false,
 * not with centered) is Optax's: it divides v by 1 − αᵗ, which is Adam's second moment without a first, the base
 * step of {@link dev.descent.optim.AdamWScheduleFree} with α = β₂. State: {@code square_avg}, {@code grad_avg}
 * when centered.
 */
final class ScaleByRms extends Preconditioner {
    ScaleByRms() {
        super("scale_by_rms", List.of(
                Hyperparameter.nonNegative("alpha", 0.99),
                Hyperparameter.nonNegative("eps", 1e-8),
                Hyperparameter.flag("centered", false),
                Hyperparameter.choice("eps_placement", "torch", "torch", "keras"),
                Hyperparameter.flag("bias_correction", false)), ScaleByRms::checkCentered);
    }

    private static void checkCentered(java.util.Map<String, Object> v) {
        if ((Boolean) v.get("centered") && (Boolean) v.get("bias_correction")) {
            throw new IllegalArgumentException("scale_by_rms: centered=true and bias_correction=true cannot be combined "
                    + "(bias correction divides the uncentered v only)");
        }
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
        boolean keras = step.word("eps_placement").equals("keras");
        boolean corrected = step.flag("bias_correction");
        float correction = (float) (1 - Math.pow(step.real("alpha"), step.step()));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float vi = Math.fma(rest * g, g, v[i] * alpha);
                v[i] = vi;
                float d;
                if (centered) {
                    float m = Math.fma(g, rest, mean[i] * alpha);
                    mean[i] = m;
                    float centeredV = Math.fma(-m, m, vi);
                    d = keras ? (float) Math.sqrt(centeredV + eps) : (float) Math.sqrt(centeredV) + eps;
                } else {
                    float vHat = corrected ? vi / correction : vi;
                    d = keras ? (float) Math.sqrt(vHat + eps) : (float) Math.sqrt(vHat) + eps;
                }
                u[i] = c * g / d;
            }
        };
    }
}
