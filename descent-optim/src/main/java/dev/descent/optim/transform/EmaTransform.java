package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code ema(decay, debias)}: replaces the update by an exponential moving average of the updates, Optax's
 * {@code ema} (not to be confused with the optimizer wrapper {@code ema(inner, decay)}, which averages the
 * weights):
 *
 * <pre>
 *   m ← β m + (1 − β) u              (m starts at zero; β = decay)
 *   u ← m / (1 − βᵗ) if debias, else m
 * </pre>
 * Unlike {@code trace}, the first step is damped too ((1 − β) u). Adafactor's first moment is
 * {@code ema(decay=beta1, debias=false)} after its step size (Shazeer and Stern 2018, arXiv:1804.04235), with the
 * fused {@link dev.descent.optim.Adafactor}'s arithmetic. Positional argument: {@code decay}. State: {@code exp_avg}.
 */
final class EmaTransform extends Transform {
    EmaTransform() {
        super("ema", "decay", List.of(
                Hyperparameter.real("decay", 0.9, x -> x >= 0 && x < 1, "must be in [0, 1)"),
                Hyperparameter.flag("debias", true)), null);
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float[] m = step.buffer("exp_avg");
        double beta = step.real("decay");
        float b = (float) beta;
        float rest = (float) (1 - beta);
        boolean debias = step.flag("debias");
        float correction = (float) (1 - Math.pow(beta, step.step()));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float mi = Math.fma(u[i], rest, m[i] * b);
                m[i] = mi;
                u[i] = debias ? mi / correction : mi;
            }
        };
    }
}
