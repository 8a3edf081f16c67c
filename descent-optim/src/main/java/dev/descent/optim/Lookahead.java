package dev.descent.optim;

import dev.descent.optim.spec.Spec;

import java.util.List;
import java.util.Map;

/**
 * Lookahead: the inner optimizer takes k steps forward from the slow weights, then the slow weights move a
 * fraction α of the way to where it got, and the inner optimizer starts again from there.
 *
 * <pre>
 *   φ ← θ₀                                   (slow weights, at a parameter's first step)
 *   every step:  θ ← inner step of θ
 *   every k-th:  φ ← φ + α (θ − φ);  θ ← φ
 * </pre>
 * Zhang, Lucas, Hinton and Ba (2019), "Lookahead Optimizer: k steps forward, 1 step back", NeurIPS,
 * arXiv:1907.08610, Algorithm 1, with its defaults {@code k=5}, {@code alpha=0.5}. As in the reference
 * implementations, the inner optimizer's state (momentum, moments) is kept across the synchronisations.
 * A parameter counts its own steps (one skipped for want of a gradient does not count). The interpolation
 * is torch.lerp's, exact at both ends, so {@code k=1, alpha=1} is the inner optimizer bit for bit.
 * Spec: {@code lookahead(adam(lr=0.001), k=5, alpha=0.5)}. State: {@code slow_weights}, {@code step}.
 */
public final class Lookahead extends OptimizerWrapper {
    private static final String EXAMPLE = "lookahead(adam(lr=0.001), k=5, alpha=0.5)";
    /** The settings, with the paper's defaults. */
    public static final Algorithm ALGORITHM = describe("lookahead", List.of(
            count("k", 5L, 1),
            Hyperparameter.real("alpha", 0.5, x -> x >= 0 && x <= 1, "must be in [0, 1]")), EXAMPLE);

    /** Wraps {@code inner}; {@code settings} must be complete values from {@link #ALGORITHM}. */
    public Lookahead(Optimizer inner, Map<String, Object> settings) {
        super(ALGORITHM, settings, inner);
    }

    /** Wraps {@code inner} with the given k and alpha. */
    public Lookahead(Optimizer inner, int k, double alpha) {
        this(inner, ALGORITHM.resolve(null, Map.of("k", k, "alpha", alpha)));
    }

    /** Reads {@code lookahead(inner, k=..., alpha=...)}. */
    static OptimizerSpec spec(Spec spec) {
        return spec(spec, ALGORITHM, EXAMPLE, Map.of(), Map.of(), (inner, settings, choices) -> new Lookahead(inner, settings));
    }

    /** Keeps the weights before a parameter's first step as its slow weights. */
    @Override
    protected void beforeStep() {
        for (Param p : settings().params()) {
            if (p.hasGrad() && !state(p).has("slow_weights")) {
                float[] slow = state(p).buffer("slow_weights");
                System.arraycopy(p.store().data(), p.offset(), slow, p.offset(), p.size());
            }
        }
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        if (state.step() % (long) group.real("k") != 0) {
            return (from, to) -> { };
        }
        float[] w = p.store().data();
        float[] slow = state.buffer("slow_weights");
        float alpha = (float) group.real("alpha");
        return (from, to) -> {
            lerp(slow, w, alpha, from, to);
            System.arraycopy(slow, from, w, from, to - from);
        };
    }
}
