package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_adadelta(rho, eps)}: replaces the update by Adadelta's step, whose units match the
 * parameters', from the ratio of the running root mean squares of past steps and of updates.
 *
 * <pre>
 *   v ← ρ v + (1 − ρ) u²
 *   Δ ← √(a + ε) / √(v + ε) · u         (ε inside both roots)
 *   a ← ρ a + (1 − ρ) Δ²
 *   u ← Δ
 * </pre>
 * Zeiler (2012), "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701. Names, defaults and
 * arithmetic are PyTorch's Adadelta's ({@link dev.descent.optim.Adadelta}), whose {@code lr} (1.0 in the
 * paper) is a {@code scale_by_learning_rate} after this transform. Not a {@link Preconditioner}: PyTorch
 * multiplies the learning rate in at the very end, θ ← θ − γΔ, as the chain's last pass does.
 * State: {@code square_avg}, {@code acc_delta}.
 */
final class ScaleByAdadelta extends Transform {
    ScaleByAdadelta() {
        super("scale_by_adadelta", null, List.of(
                Hyperparameter.real("rho", 0.9, x -> x >= 0 && x <= 1, "must be in [0, 1]"),
                Hyperparameter.nonNegative("eps", 1e-6)), null);
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float[] v = step.buffer("square_avg");
        float[] a = step.buffer("acc_delta");
        float rho = (float) step.real("rho");
        float rest = (float) (1 - step.real("rho"));
        float eps = (float) step.real("eps");
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float vi = Math.fma(rest * g, g, v[i] * rho);
                v[i] = vi;
                float delta = (float) Math.sqrt(a[i] + eps) / (float) Math.sqrt(vi + eps) * g;
                a[i] = Math.fma(rest * delta, delta, a[i] * rho);
                u[i] = delta;
            }
        };
    }
}
