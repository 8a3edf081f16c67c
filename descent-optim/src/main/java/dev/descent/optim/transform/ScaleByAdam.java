package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_adam(betas, eps, amsgrad, eps_placement)}: rescales the update by Adam's bias-corrected moment
 * estimates, with the AMSGrad variant and Keras's placement of ε.
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) u
 *   v ← β₂ v + (1 − β₂) u²
 *   v̂ ← max(v̂, v) if amsgrad, else v             (the max of the raw v)
 *   u ← c/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)   (ε added after bias-correcting √v̂; c = 1 or a folded step size)
 *   u ← c√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v̂ + ε)       with eps_placement="keras": ε on the raw √v̂
 * </pre>
 * Kingma and Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR, arXiv:1412.6980; AMSGrad from
 * Reddi, Kale and Kumar (2018), "On the Convergence of Adam and Beyond", ICLR. The arithmetic is
 * {@link dev.descent.optim.Adam}'s, {@code eps_placement} included
 * ({@code "torch"}, the default, or {@code "keras"}; Optax's {@code scale_by_adam} has only the first).
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} when amsgrad.
 */
final class ScaleByAdam extends Preconditioner {
    ScaleByAdam() {
        super("scale_by_adam", List.of(
                Hyperparameter.betas(0.9, 0.999),
                Hyperparameter.nonNegative("eps", 1e-8),
                Hyperparameter.flag("amsgrad", false),
                Hyperparameter.choice("eps_placement", "torch", "torch", "keras")), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        float[] m = step.buffer("exp_avg");
        float[] v = step.buffer("exp_avg_sq");
        boolean amsgrad = step.flag("amsgrad");
        float[] vMax = amsgrad ? step.buffer("max_exp_avg_sq") : null;
        double beta1 = step.real("betas", 0);
        double beta2 = step.real("betas", 1);
        long t = step.step();
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) step.real("eps");
        double root2 = Math.sqrt(1 - Math.pow(beta2, t));
        boolean keras = step.word("eps_placement").equals("keras");
        float correction2 = keras ? 1f : (float) root2;
        float size = (float) (factor * (keras ? root2 : 1) / (1 - Math.pow(beta1, t)));
        if (amsgrad) {
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = u[i];
                    float mi = Math.fma(g, rest1, m[i] * b1);
                    float vi = Math.fma(rest2 * g, g, v[i] * b2);
                    float vHat = Math.max(vMax[i], vi);
                    m[i] = mi;
                    v[i] = vi;
                    vMax[i] = vHat;
                    u[i] = size * mi / ((float) Math.sqrt(vHat) / correction2 + eps);
                }
            };
        }
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float mi = Math.fma(g, rest1, m[i] * b1);
                float vi = Math.fma(rest2 * g, g, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                u[i] = size * mi / ((float) Math.sqrt(vi) / correction2 + eps);
            }
        };
    }
}
