package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.Sgd;

import java.util.List;

/**
 * {@code trace(momentum, dampening, nesterov)}: replaces the update by a momentum buffer (heavy ball), or by
 * Nesterov's look-ahead of it, as PyTorch's SGD does.
 *
 * <pre>
 *   b ← u                       at the first step (no dampening)
 *   b ← μ b + (1 − τ) u         afterwards        (μ = momentum, τ = dampening)
 *   u ← u + μ b if nesterov, else b
 * </pre>
 * Polyak (1964), "Some methods of speeding up the convergence of iteration methods"; the Nesterov form as in
 * Sutskever et al. (2013), "On the importance of initialization and momentum in deep learning", ICML. Optax's
 * {@code trace(decay, nesterov)} is the case τ = 0. Positional argument: {@code momentum}. State:
 * {@code momentum_buffer}.
 */
final class Trace extends Transform {
    Trace() {
        super("trace", "momentum", List.of(
                Hyperparameter.nonNegative("momentum", 0.9),
                Hyperparameter.real("dampening", 0, x -> true, ""),
                Hyperparameter.flag("nesterov", false)), Sgd.nesterovRule("trace"));
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        boolean first = !step.has("momentum_buffer");
        float[] b = step.buffer("momentum_buffer");
        float mu = (float) step.real("momentum");
        float decay = first ? 0f : mu;
        float keep = first ? 1f : (float) (1 - step.real("dampening"));
        boolean nesterov = step.flag("nesterov");
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float bi = Math.fma(g, keep, b[i] * decay);
                b[i] = bi;
                u[i] = nesterov ? Math.fma(bi, mu, g) : bi;
            }
        };
    }
}
