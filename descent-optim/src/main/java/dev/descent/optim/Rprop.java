package dev.descent.optim;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Resilient backpropagation, as PyTorch's {@code torch.optim.Rprop}: each coordinate moves by its own step
 * size in the direction of the gradient's sign, and the step size grows while the sign holds and shrinks
 * when it flips.
 *
 * <pre>
 *   g ← ±∇
 *   f ← η₊ if g · g_prev > 0,  η₋ if g · g_prev < 0,  1 otherwise
 *   s ← clamp(s f, s_min, s_max)             (s starts at lr)
 *   g ← 0 where the sign flipped (f = η₋)    (no move there, and no flip counted next step)
 *   θ ← θ − sign(g) s
 *   g_prev ← g
 * </pre>
 * {@code lr} is only the initial step size: changing it later has no effect, as in PyTorch. Riedmiller and
 * Braun (1993), "A Direct Adaptive Method for Faster Backpropagation Learning: The RPROP Algorithm", IEEE
 * International Conference on Neural Networks. PyTorch's variant has no weight backtracking and zeroes the
 * gradient after a flip, which Igel and Hüsken (2000), "Improving the Rprop Learning Algorithm", NC 2000,
 * call iRprop⁻. State: {@code prev}, {@code step_size}, {@code step}.
 */
public final class Rprop extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("rprop", List.of(
            Hyperparameter.nonNegative("lr", 1e-2),
            Hyperparameter.reals("etas", new double[] {0.5, 1.2}, Double::isFinite, "must be finite"),
            Hyperparameter.reals("step_sizes", new double[] {1e-6, 50}, Double::isFinite, "must be finite"),
            Hyperparameter.flag("maximize", false)),
            etasRule("rprop"), Rprop::new);

    /** Builds Rprop over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Rprop(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    /** The cross-check of Rprop's {@code etas}, 0 &lt; etaminus &lt; 1 &lt; etaplus; {@code name} starts the message. */
    public static Consumer<Map<String, Object>> etasRule(String name) {
        return v -> {
            double[] etas = (double[]) v.get("etas");
            if (!(0 < etas[0] && etas[0] < 1 && 1 < etas[1])) {
                throw new IllegalArgumentException(name + ": etas=" + Hyperparameter.render(etas)
                        + " is invalid: must satisfy 0 < etaminus < 1 < etaplus");
            }
        };
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] prev = state.buffer("prev");
        float[] size = state.buffer("step_size", (float) group.lr());
        float sign = group.flag("maximize") ? -1f : 1f;
        float etaMinus = (float) group.real("etas", 0);
        float etaPlus = (float) group.real("etas", 1);
        float min = (float) group.real("step_sizes", 0);
        float max = (float) group.real("step_sizes", 1);
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = sign * grad[i];
                float product = g * prev[i];
                // PyTorch's masked assignments on sign(g · g_prev), in its order: > 0, < 0, then == 0
                // (a NaN product has sign 0).
                float f = product > 0 ? etaPlus : product < 0 ? etaMinus : 0f;
                f = f == 0 ? 1f : f;
                float s = Math.min(Math.max(size[i] * f, min), max);
                size[i] = s;
                float kept = f == etaMinus ? 0f : g;
                float direction = (kept > 0 ? 1f : 0f) - (kept < 0 ? 1f : 0f);
                w[i] = Math.fma(-direction, s, w[i]);
                prev[i] = kept;
            }
        };
    }
}
