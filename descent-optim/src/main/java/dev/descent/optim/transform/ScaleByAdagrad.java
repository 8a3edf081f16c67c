package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_adagrad(eps, initial_accumulator_value)}: divides the update by the root of the running sum
 * of squared updates, Adagrad's preconditioner.
 *
 * <pre>
 *   s ← s + u²                  (s starts at initial_accumulator_value)
 *   u ← c u / (√s + ε)          (ε outside the root; c = 1 or a folded step size)
 * </pre>
 * Duchi, Hazan and Singer (2011), "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12. Names, defaults and arithmetic are PyTorch's Adagrad's ({@link dev.descent.optim.Adagrad});
 * its {@code lr_decay} is the transform {@code scale_by_lr_decay}. State: {@code sum}.
 */
final class ScaleByAdagrad extends Preconditioner {
    ScaleByAdagrad() {
        super("scale_by_adagrad", List.of(
                Hyperparameter.nonNegative("eps", 1e-10),
                Hyperparameter.nonNegative("initial_accumulator_value", 0)), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        float[] sum = step.buffer("sum", (float) step.real("initial_accumulator_value"));
        float eps = (float) step.real("eps");
        float c = (float) factor;
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float s = Math.fma(g, g, sum[i]);
                sum[i] = s;
                u[i] = c * g / ((float) Math.sqrt(s) + eps);
            }
        };
    }
}
