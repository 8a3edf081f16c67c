package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_yogi(betas, eps, initial_accumulator)}: rescales the update as Adam does, but with a second
 * moment that moves toward u² additively, by (1 − β₂) u² in the direction of the difference, Yogi's
 * preconditioner.
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) u
 *   v ← v − (1 − β₂) sign(v − u²) u²                  (sign(0) = 0; m and v start at initial_accumulator)
 *   u ← c/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)       (c = 1 or a folded step size)
 * </pre>
 * Zaheer, Reddi, Sachan, Kale and Kumar (2018), "Adaptive Methods for Nonconvex Optimization", NeurIPS,
 * Algorithm 2; names, defaults ({@code eps=1e-3}, {@code initial_accumulator=1e-6}) and arithmetic are
 * {@link dev.descent.optim.Yogi}'s. State: {@code exp_avg}, {@code exp_avg_sq}.
 */
final class ScaleByYogi extends Preconditioner {
    ScaleByYogi() {
        super("scale_by_yogi", List.of(
                Hyperparameter.betas(0.9, 0.999),
                Hyperparameter.nonNegative("eps", 1e-3),
                Hyperparameter.nonNegative("initial_accumulator", 1e-6)), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        float initial = (float) step.real("initial_accumulator");
        float[] m = step.buffer("exp_avg", initial);
        float[] v = step.buffer("exp_avg_sq", initial);
        double beta1 = step.real("betas", 0);
        double beta2 = step.real("betas", 1);
        long t = step.step();
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float negRest2 = (float) -(1 - beta2);
        float eps = (float) step.real("eps");
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float size = (float) (factor / (1 - Math.pow(beta1, t)));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float g2 = g * g;
                float mi = Math.fma(g, rest1, m[i] * b1);
                float vi = Math.fma(negRest2 * Math.signum(v[i] - g2), g2, v[i]);
                m[i] = mi;
                v[i] = vi;
                u[i] = size * mi / ((float) Math.sqrt(vi) / correction2 + eps);
            }
        };
    }
}
