package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * Yogi: Adam whose second moment moves toward g² by a step of fixed relative size (1 − β₂) g² in the
 * direction of the difference, additively, so it cannot collapse after a run of small gradients the way
 * Adam's exponential average does.
 *
 * <pre>
 *   g ← ∇ + λθ                                   (coupled weight decay)
 *   m ← β₁ m + (1 − β₁) g
 *   v ← v − (1 − β₂) sign(v − g²) g²             (sign(0) = 0)
 *   θ ← θ − γ/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * Zaheer, Reddi, Sachan, Kale and Kumar (2018), "Adaptive Methods for Nonconvex Optimization", NeurIPS,
 * Algorithm 2, with the bias correction of the best-known PyTorch port, {@code torch_optimizer.Yogi} in
 * jettify/pytorch-optimizer (ε added after bias-correcting √v, as PyTorch's Adam), whose defaults these
 * are: {@code lr=1e-2}, {@code betas=(0.9, 0.999)}, {@code eps=1e-3}, {@code initial_accumulator=1e-6}.
 * As in that port, both m and v start at {@code initial_accumulator} (the authors' TensorFlow Addons
 * implementation starts m at zero, a difference of β₁ᵗ·1e-6 in m). The large ε matters: it bounds the
 * step where v is tiny. State: {@code exp_avg}, {@code exp_avg_sq}, {@code step}.
 */
public final class Yogi extends Optimizer {
    /** The description, with the port's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("yogi", List.of(
            Hyperparameter.nonNegative("lr", 1e-2),
            Hyperparameter.betas(0.9, 0.999),
            Hyperparameter.nonNegative("eps", 1e-3),
            Hyperparameter.nonNegative("initial_accumulator", 1e-6),
            Hyperparameter.nonNegative("weight_decay", 0)),
            null, Yogi::new);

    /** Builds Yogi over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Yogi(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float initial = (float) group.real("initial_accumulator");
        float[] m = state.buffer("exp_avg", initial);
        float[] v = state.buffer("exp_avg_sq", initial);
        double beta1 = group.real("betas", 0);
        double beta2 = group.real("betas", 1);
        long t = state.step();
        float decay = (float) group.real("weight_decay");
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float negRest2 = (float) -(1 - beta2);
        float eps = (float) group.real("eps");
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float negStep = (float) -(group.lr() / (1 - Math.pow(beta1, t)));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, grad[i]);
                float g2 = g * g;
                float mi = Math.fma(g, rest1, m[i] * b1);
                float vi = Math.fma(negRest2 * Kernels.sign(v[i] - g2), g2, v[i]);
                m[i] = mi;
                v[i] = vi;
                w[i] += negStep * mi / ((float) Math.sqrt(vi) / correction2 + eps);
            }
        };
    }
}
