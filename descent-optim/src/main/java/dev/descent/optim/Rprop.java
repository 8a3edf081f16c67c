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

    /**
     * Elements the vector path checks at once before it steps them: the two arrays the check reads (512 KB) are
     * still in the core's L2 cache when the step reads them again. Checking 2048 elements right before stepping
     * them was 12-23% slower over 10M parameters: the check and the step then take turns reading memory.
     */
    private static final int CHECKED = 1 << 16;
    /** Elements per block of a checked range that failed its check: only the blocks that fail take the scalar rule. */
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
        // holds in double; rounding to float can break it) and every product g · g_prev is finite, which a range
        // checks first: where one is not, its block takes the scalar rule.
        if (!(0 < etaMinus && etaMinus < 1 && 1 < etaPlus && etaPlus <= 0x1p51f)) {
            return (from, to) -> scalarStep(w, grad, prev, size, sign, etaMinus, etaPlus, min, max, from, to);
        }
        return (from, to) -> {
            for (int start = from; start < to; ) {
                int end = to - start > CHECKED ? start + CHECKED : to;
                if (Kernels.allProductsFinite(grad, prev, start, end)) {
                    vectorStep(w, grad, prev, size, sign, etaMinus, etaPlus, min, max, start, end);
                } else {
                    for (int b = start; b < end; b += BLOCK) {
                        int e = end - b > BLOCK ? b + BLOCK : end;
                        if (Kernels.allProductsFinite(grad, prev, b, e)) {
                            vectorStep(w, grad, prev, size, sign, etaMinus, etaPlus, min, max, b, e);
                        } else {
                            scalarStep(w, grad, prev, size, sign, etaMinus, etaPlus, min, max, b, e);
                        }
                    }
                }
                start = end;
            }
        };
    }

    /**
     * The rule on elements {@code [from, to)}, one element at a time with PyTorch's masked assignments: the
     * reference the vector path ({@link #vectorStep}) equals, and what it falls back to.
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
     * The rule on {@code [from, to)} in one branch-free loop of operations C2 vectorizes (min, max, multiply,
     * divide, fma). Requires 0 &lt; η₋ &lt; 1 &lt; η₊ ≤ 2^51 and every product g · g_prev finite (so g and g_prev
     * are finite too); it then equals {@link #scalarStep} bit for bit.
     */
    private static void vectorStep(float[] w, float[] grad, float[] prev, float[] size, float sign, float etaMinus,
                                   float etaPlus, float min, float max, int from, int to) {
        for (int i = from; i < to; i++) {
            float g = sign * grad[i];
            // η₊, η₋ or 1 as g · g_prev is > 0, < 0 or ±0: the product, scaled to at least 2^51 in magnitude
            // unless it is zero, plus one, clamped to [η₋, η₊].
            float f = Math.max(Math.min(Math.fma(g * prev[i] * SCALE, SCALE, 1f), etaPlus), etaMinus);
            float s = Math.min(Math.max(size[i] * f, min), max);
            size[i] = s;
            // kept: 0 where the sign flipped (f = η₋), else 1, since f − η₋ is then at least 2^-24, which adding
            // 2^-100 does not change.
            float d = f - etaMinus;
            float kept = d / (d + 0x1p-100f);
            // g where kept, +0 where not: the zero added is −0 where kept (g + −0 is g, −0 too) and +0 where not
            // (±0 + +0 is +0).
            prev[i] = Math.fma(kept, g, (0f - kept) * 0f);
            // sign(g) as g / |g|, with the least subnormal for |g| = 0 (±0 stays ±0); + 0 turns −0 into +0
            float direction = kept * (g / Math.max(Math.abs(g), Float.MIN_VALUE)) + 0f;
            w[i] = Math.fma(-direction, s, w[i]);
        }
    }
}
