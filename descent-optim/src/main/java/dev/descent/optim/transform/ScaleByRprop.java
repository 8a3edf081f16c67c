package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.Rprop;

import java.util.List;

/**
 * {@code scale_by_rprop(lr, etas, step_sizes)}: replaces the update by its sign times a step size of each
 * coordinate's own, which grows while the sign holds and shrinks when it flips (resilient backpropagation).
 *
 * <pre>
 *   f ← η₊ if u · u_prev &gt; 0,  η₋ if u · u_prev &lt; 0,  1 otherwise
 *   s ← clamp(s f, s_min, s_max)            (s starts at lr)
 *   u ← 0 where the sign flipped (f = η₋)    (no move there, and no flip counted next step)
 *   u_prev ← u;   u ← sign(u) s
 * </pre>
 * Riedmiller and Braun (1993), "A Direct Adaptive Method for Faster Backpropagation Learning: The RPROP
 * Algorithm", IEEE ICNN; PyTorch's iRprop⁻ variant. Names, defaults, rules and arithmetic are PyTorch's
 * Rprop's ({@link dev.descent.optim.Rprop}): {@code lr} is only the initial step size, so a descent chain ends
 * in {@code scale(-1)}, not in a learning rate, as Optax's {@code rprop} does. State: {@code prev},
 * {@code step_size}.
 */
final class ScaleByRprop extends Transform {
    ScaleByRprop() {
        super("scale_by_rprop", null, List.of(
                Hyperparameter.nonNegative("lr", 1e-2),
                Hyperparameter.reals("etas", new double[] {0.5, 1.2}, Double::isFinite, "must be finite"),
                Hyperparameter.reals("step_sizes", new double[] {1e-6, 50}, Double::isFinite, "must be finite")),
                Rprop.etasRule("scale_by_rprop"));
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float[] prev = step.buffer("prev");
        float[] size = step.buffer("step_size", (float) step.real("lr"));
        float etaMinus = (float) step.real("etas", 0);
        float etaPlus = (float) step.real("etas", 1);
        float min = (float) step.real("step_sizes", 0);
        float max = (float) step.real("step_sizes", 1);
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float product = g * prev[i];
                // PyTorch's masked assignments on sign(g · g_prev), in its order (a NaN product has sign 0).
                float f = product > 0 ? etaPlus : product < 0 ? etaMinus : 0f;
                f = f == 0 ? 1f : f;
                float s = Math.min(Math.max(size[i] * f, min), max);
                size[i] = s;
                float kept = f == etaMinus ? 0f : g;
                prev[i] = kept;
                u[i] = ((kept > 0 ? 1f : 0f) - (kept < 0 ? 1f : 0f)) * s;
            }
        };
    }
}
