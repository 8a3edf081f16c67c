package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_adamax(betas, eps)}: rescales the update by Adam's first moment over an exponentially
 * weighted infinity norm of the updates, Adamax's preconditioner.
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) u
 *   n ← max(β₂ n, |u| + ε)              (ε inside the max, so n &gt; 0 from the first step)
 *   u ← c/(1 − β₁ᵗ) · m / n             (n needs no bias correction; c = 1 or a folded step size)
 * </pre>
 * Kingma and Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR, arXiv:1412.6980, section 7.1.
 * Names, defaults and arithmetic are PyTorch's Adamax's ({@link dev.descent.optim.Adamax}).
 * State: {@code exp_avg}, {@code exp_inf}.
 */
final class ScaleByAdamax extends Preconditioner {
    ScaleByAdamax() {
        super("scale_by_adamax", List.of(
                Hyperparameter.betas(0.9, 0.999),
                Hyperparameter.nonNegative("eps", 1e-8)), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        float[] m = step.buffer("exp_avg");
        float[] n = step.buffer("exp_inf");
        double beta1 = step.real("betas", 0);
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) step.real("betas", 1);
        float eps = (float) step.real("eps");
        float size = (float) (factor / (1 - Math.pow(beta1, step.step())));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float mi = Math.fma(g, rest1, m[i] * b1);
                float ni = Math.max(n[i] * b2, Math.abs(g) + eps);
                m[i] = mi;
                n[i] = ni;
                u[i] = size * mi / ni;
            }
        };
    }
}
