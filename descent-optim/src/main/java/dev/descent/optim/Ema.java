package dev.descent.optim;

import dev.descent.optim.spec.Spec;

import java.util.List;
import java.util.Map;

/**
 * An exponential moving average of the weights, kept beside the inner optimizer's, to evaluate with.
 *
 * <pre>
 *   after a parameter's first step:  θ̄ ← θ
 *   after each later step:           θ̄ ← decay · θ̄ + (1 − decay) · θ   (as torch.lerp(θ̄, θ, 1 − decay))
 * </pre>
 * Polyak and Juditsky (1992) averaging with exponential weights, as PyTorch 1.13's
 * {@code torch.optim.swa_utils.AveragedModel} with an EMA {@code avg_fn} computes it (the first update
 * copies the weights) and Optax's {@code ema} without debiasing. Training continues from the inner
 * optimizer's weights; {@link #swapAveraged()} or {@link #withAveraged(Runnable)} evaluates with the average.
 * Spec: {@code ema(adam(lr=0.001), decay=0.999)}. State: {@code average}, {@code step}.
 */
public final class Ema extends WeightAveraging {
    private static final String EXAMPLE = "ema(adam(lr=0.001), decay=0.999)";
    /** The settings. */
    public static final Algorithm ALGORITHM = describe("ema", List.of(
            Hyperparameter.real("decay", 0.999, x -> x >= 0 && x <= 1, "must be in [0, 1]")), EXAMPLE);

    /** Wraps {@code inner}; {@code settings} must be complete values from {@link #ALGORITHM}. */
    public Ema(Optimizer inner, Map<String, Object> settings) {
        super(ALGORITHM, settings, inner);
    }

    /** Wraps {@code inner} with the given decay. */
    public Ema(Optimizer inner, double decay) {
        this(inner, ALGORITHM.resolve(null, Map.of("decay", decay)));
    }

    /** Reads {@code ema(inner, decay=...)}. */
    static OptimizerSpec spec(Spec spec) {
        return spec(spec, ALGORITHM, EXAMPLE, Map.of(), Map.of(), (inner, settings, choices) -> new Ema(inner, settings));
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        boolean first = !state.has("average");
        float[] avg = state.buffer("average");
        if (first) {
            return (from, to) -> System.arraycopy(w, from, avg, from, to - from);
        }
        float weight = (float) (1 - group.real("decay"));
        return (from, to) -> lerp(avg, w, weight, from, to);
    }

    @Override
    protected String whenAveraged() {
        return "the average starts at a parameter's first step";
    }
}
