package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * Adadelta, as PyTorch's {@code torch.optim.Adadelta}: steps whose units match the parameters', from
 * the ratio of two running root mean squares (of past updates and of gradients).
 *
 * <pre>
 *   g  ← ±∇ + λθ
 *   v  ← ρ v + (1 − ρ) g²
 *   Δ  ← √(u + ε) / √(v + ε) · g        (ε inside both roots)
 *   u  ← ρ u + (1 − ρ) Δ²
 *   θ  ← θ − γ Δ                        (γ = lr, 1.0 in the paper, applied only here)
 * </pre>
 * Zeiler (2012), "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701.
 * State: {@code square_avg}, {@code acc_delta}, {@code step}.
 */
public final class Adadelta extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("adadelta", List.of(
            Hyperparameter.nonNegative("lr", 1.0),
            Hyperparameter.real("rho", 0.9, x -> x >= 0 && x <= 1, "must be in [0, 1]"),
            Hyperparameter.nonNegative("eps", 1e-6),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("maximize", false)),
            null, Adadelta::new);

    /** Builds Adadelta over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Adadelta(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] v = state.buffer("square_avg");
        float[] u = state.buffer("acc_delta");
        float sign = group.flag("maximize") ? -1f : 1f;
        float decay = (float) group.real("weight_decay");
        float rho = (float) group.real("rho");
        float rest = (float) (1 - group.real("rho"));
        float eps = (float) group.real("eps");
        float negLr = (float) -group.lr();
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, sign * grad[i]);
                float vi = Math.fma(rest * g, g, v[i] * rho);
                v[i] = vi;
                float delta = (float) Math.sqrt(u[i] + eps) / (float) Math.sqrt(vi + eps) * g;
                u[i] = Math.fma(rest * delta, delta, u[i] * rho);
                w[i] = Math.fma(delta, negLr, w[i]);
            }
        };
    }
}
