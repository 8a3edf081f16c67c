package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * AdamW: Adam with decoupled weight decay, as PyTorch's {@code torch.optim.AdamW}, with the AMSGrad variant.
 *
 * <pre>
 *   g ← ±∇                                       (no L2 term in the gradient)
 *   θ ← θ (1 − γλ)                               (decoupled decay, before the moments)
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   v̂ ← max(v̂, v) if amsgrad, else v             (the max of the raw v)
 *   θ ← θ − γ/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 *   θ ← θ − γ√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v̂ + ε)     with eps_placement="keras" (see {@link Adam})
 * </pre>
 * The decay shrinks θ directly, scaled by the learning rate, and never enters m or v; its default is
 * 0.01, not Adam's 0. Loshchilov and Hutter (2019), "Decoupled Weight Decay Regularization", ICLR,
 * arXiv:1711.05101; AMSGrad from Reddi, Kale and Kumar (2018), "On the Convergence of Adam and Beyond", ICLR.
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} when amsgrad, {@code step}.
 */
public final class AdamW extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("adamw", List.of(
            Hyperparameter.nonNegative("lr", 1e-3),
            Hyperparameter.betas(0.9, 0.999),
            Hyperparameter.nonNegative("eps", 1e-8),
            Hyperparameter.nonNegative("weight_decay", 1e-2),
            Hyperparameter.flag("amsgrad", false),
            Hyperparameter.flag("maximize", false),
            Hyperparameter.choice("eps_placement", "torch", "torch", "keras")),
            null, AdamW::new);

    /** Builds AdamW over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public AdamW(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] m = state.buffer("exp_avg");
        float[] v = state.buffer("exp_avg_sq");
        boolean amsgrad = group.flag("amsgrad");
        float[] vMax = amsgrad ? state.buffer("max_exp_avg_sq") : null;
        double beta1 = group.real("betas", 0);
        double beta2 = group.real("betas", 1);
        long t = state.step();
        float sign = group.flag("maximize") ? -1f : 1f;
        float shrink = (float) (1 - group.lr() * group.real("weight_decay"));
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) group.real("eps");
        double root2 = Math.sqrt(1 - Math.pow(beta2, t));
        boolean keras = group.word("eps_placement").equals("keras");
        float correction2 = keras ? 1f : (float) root2;
        float negStep = (float) -(group.lr() * (keras ? root2 : 1) / (1 - Math.pow(beta1, t)));
        if (amsgrad) {
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = sign * grad[i];
                    float wi = w[i] * shrink;
                    float mi = Math.fma(g, rest1, m[i] * b1);
                    float vi = Math.fma(rest2 * g, g, v[i] * b2);
                    float vHat = Math.max(vMax[i], vi);
                    m[i] = mi;
                    v[i] = vi;
                    vMax[i] = vHat;
                    w[i] = wi + negStep * mi / ((float) Math.sqrt(vHat) / correction2 + eps);
                }
            };
        }
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = sign * grad[i];
                float wi = w[i] * shrink;
                float mi = Math.fma(g, rest1, m[i] * b1);
                float vi = Math.fma(rest2 * g, g, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                w[i] = wi + negStep * mi / ((float) Math.sqrt(vi) / correction2 + eps);
            }
        };
    }
}
