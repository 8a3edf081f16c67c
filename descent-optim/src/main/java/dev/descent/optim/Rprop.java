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

    /** Elements per block of the vector path: a block's arrays stay in the L1 cache across its three passes. */
    private static final int BLOCK = 2048;
    /** 2^100: two factors of it lift the least subnormal product past any η₊ the vector path takes. */
    private static final float SCALE = 0x1p100f;

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
        // The vector path equals the scalar rule bit for bit when 0 < η₋ < 1 < η₊ ≤ 2^51 in float (the etas rule
        // holds in double; rounding to float can break it) and no product g · g_prev is NaN, which a block checks
        // first: it then takes the scalar rule.
        boolean vector = 0 < etaMinus && etaMinus < 1 && 1 < etaPlus && etaPlus <= 0x1p51f;
        return (from, to) -> {
            for (int start = from; start < to; ) {
                int end = to - start > BLOCK ? start + BLOCK : to;
                if (vector && !Kernels.anyNaNProduct(grad, prev, start, end)) {
                    adapt(grad, prev, size, sign, etaMinus, etaPlus, min, max, start, end);
                    move(w, prev, size, start, end);
                } else {
                    scalarStep(w, grad, prev, size, sign, etaMinus, etaPlus, min, max, start, end);
                }
                start = end;
            }
        };
    }

    /**
     * The rule on elements {@code [from, to)}, one element at a time with PyTorch's masked assignments: the
     * reference the vector path ({@link #adapt}, then {@link #move}) equals, and what it falls back to.
     */
    static void scalarStep(float[] w, float[] grad, float[] prev, float[] size, float sign, float etaMinus,
                           float etaPlus, float min, float max, int from, int to) {
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
    }

    /**
     * The vector path's first pass: the new step sizes into {@code size} and the kept gradients into {@code prev},
     * branch-free (min, max, multiplications) so that C2 vectorizes it. Requires 0 &lt; η₋ &lt; 1 &lt; η₊ ≤ 2^51
     * and no NaN product g · g_prev.
     */
    private static void adapt(float[] grad, float[] prev, float[] size, float sign, float etaMinus, float etaPlus,
                              float min, float max, int from, int to) {
        for (int i = from; i < to; i++) {
            float g = sign * grad[i];
            // η₊, η₋ or 1 as g · g_prev is > 0, < 0 or ±0: the product, scaled to at least 2^51 in magnitude
            // unless it is zero, plus one, clamped to [η₋, η₊].
            float f = Math.max(Math.min(Math.fma(g * prev[i] * SCALE, SCALE, 1f), etaPlus), etaMinus);
            size[i] = Math.min(Math.max(size[i] * f, min), max);
            // +∞ where the sign held or the product was zero (g is kept as it is, -0 and ±∞ too), +0 where it flipped
            // (1 − η₋ ≥ 2^-24, times 2^200, overflows).
            float bound = (f - etaMinus) * SCALE * SCALE;
            prev[i] = Math.max(Math.min(g, bound), 0f - bound);
        }
    }

    /** The vector path's second pass: θ ← θ − sign(g) s from the kept gradients and step sizes of {@link #adapt}. */
    private static void move(float[] w, float[] prev, float[] size, int from, int to) {
        for (int i = from; i < to; i++) {
            // sign(kept) + 0 is the scalar rule's direction: ±1, or +0 for either zero
            w[i] = Math.fma(-(Kernels.sign(prev[i]) + 0f), size[i], w[i]);
        }
    }
}
