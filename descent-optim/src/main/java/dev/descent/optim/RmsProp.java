package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * RMSprop, as PyTorch's {@code torch.optim.RMSprop}: steps scaled by a running root mean square of the
 * gradients, optionally centered (by the running mean) and with momentum.
 *
 * <pre>
 *   g ← ±∇ + λθ
 *   v ← α v + (1 − α) g²
 *   m̄ ← α m̄ + (1 − α) g,   d ← √(v − m̄²) + ε     if centered
 *                           d ← √v + ε            otherwise  (ε outside the root)
 *   d ← √(v − m̄² + ε) or √(v + ε)                 with eps_placement="keras" (ε inside the root)
 *   b ← μ b + g / d,  θ ← θ − γ b                 if momentum μ > 0
 *   θ ← θ − γ g / d                               otherwise
 * </pre>
 * Hinton, Srivastava and Swersky (2012), "Neural Networks for Machine Learning", lecture 6e (Coursera);
 * the centered form from Graves (2013), "Generating Sequences With Recurrent Neural Networks",
 * arXiv:1308.0850. State: {@code square_avg}, {@code grad_avg} when centered, {@code momentum_buffer}
 * when μ > 0, {@code step}. {@code eps_placement} is descent's own option ({@code "torch"}, the default, or
 * {@code "keras"}, as Keras and TensorFlow put ε under the root); Keras also scales its momentum buffer by
 * γ, which differs from the form above only when γ changes between steps, and is not reproduced.
 */
public final class RmsProp extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("rmsprop", List.of(
            Hyperparameter.nonNegative("lr", 1e-2),
            Hyperparameter.nonNegative("alpha", 0.99),
            Hyperparameter.nonNegative("eps", 1e-8),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.nonNegative("momentum", 0),
            Hyperparameter.flag("centered", false),
            Hyperparameter.flag("maximize", false),
            Hyperparameter.choice("eps_placement", "torch", "torch", "keras")),
            null, RmsProp::new);

    /** Builds RMSprop over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public RmsProp(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] v = state.buffer("square_avg");
        boolean centered = group.flag("centered");
        boolean momentum = group.real("momentum") > 0;
        float[] mean = centered ? state.buffer("grad_avg") : null;
        float[] b = momentum ? state.buffer("momentum_buffer") : null;
        float sign = group.flag("maximize") ? -1f : 1f;
        float decay = (float) group.real("weight_decay");
        float alpha = (float) group.real("alpha");
        float rest = (float) (1 - group.real("alpha"));
        float eps = (float) group.real("eps");
        float mu = (float) group.real("momentum");
        float negLr = (float) -group.lr();
        boolean keras = group.word("eps_placement").equals("keras");
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, sign * grad[i]);
                float vi = Math.fma(rest * g, g, v[i] * alpha);
                v[i] = vi;
                float d;
                if (centered) {
                    float m = Math.fma(g, rest, mean[i] * alpha);
                    mean[i] = m;
                    float centeredV = Math.fma(-m, m, vi);
                    d = keras ? (float) Math.sqrt(centeredV + eps) : (float) Math.sqrt(centeredV) + eps;
                } else {
                    d = keras ? (float) Math.sqrt(vi + eps) : (float) Math.sqrt(vi) + eps;
                }
                if (momentum) {
                    float bi = b[i] * mu + g / d;
                    b[i] = bi;
                    w[i] = Math.fma(bi, negLr, w[i]);
                } else {
                    w[i] += negLr * g / d;
                }
            }
        };
    }
}
