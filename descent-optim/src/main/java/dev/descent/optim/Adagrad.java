package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * Adagrad, as PyTorch's {@code torch.optim.Adagrad}: per-coordinate steps scaled by the root of the
 * running sum of squared gradients.
 *
 * <pre>
 *   g  ← ±∇ + λθ
 *   γ_t ← γ / (1 + (t − 1) η)          (η = lr_decay; step 1 is undecayed)
 *   s  ← s + g²                        (s starts at initial_accumulator_value)
 *   θ  ← θ − γ_t g / (√s + ε)          (ε outside the root)
 * </pre>
 * Duchi, Hazan and Singer (2011), "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12. State: {@code sum}, {@code step}.
 */
public final class Adagrad extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("adagrad", List.of(
            Hyperparameter.nonNegative("lr", 1e-2),
            Hyperparameter.nonNegative("lr_decay", 0),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.nonNegative("initial_accumulator_value", 0),
            Hyperparameter.nonNegative("eps", 1e-10),
            Hyperparameter.flag("maximize", false)),
            null, Adagrad::new);

    /** Builds Adagrad over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Adagrad(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] sum = state.buffer("sum", (float) group.real("initial_accumulator_value"));
        float sign = group.flag("maximize") ? -1f : 1f;
        float decay = (float) group.real("weight_decay");
        float eps = (float) group.real("eps");
        float negClr = (float) -(group.lr() / (1 + (state.step() - 1) * group.real("lr_decay")));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, sign * grad[i]);
                float s = Math.fma(g, g, sum[i]);
                sum[i] = s;
                w[i] += negClr * g / ((float) Math.sqrt(s) + eps);
            }
        };
    }
}
