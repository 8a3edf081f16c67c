package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * Adam, as PyTorch's {@code torch.optim.Adam}, with the AMSGrad variant.
 *
 * <pre>
 *   g ← ±∇ + λθ                                  (coupled weight decay)
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   v̂ ← max(v̂, v) if amsgrad, else v             (the max of the raw v)
 *   θ ← θ − γ/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)   (ε added after bias-correcting √v̂)
 *   θ ← θ − γ√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v̂ + ε)     with eps_placement="keras": ε on the raw √v̂
 * </pre>
 * {@code eps_placement} is descent's own option ({@code "torch"}, the default, or {@code "keras"}): Keras and
 * TensorFlow fold the bias correction into the step size and add ε (their "ε̂") to the uncorrected √v̂,
 * which weighs ε more by 1/√(1 − β₂ᵗ) (about 32 times at step 1); docs/ALGORITHMS.md writes both.
 * Kingma and Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR, arXiv:1412.6980; AMSGrad
 * from Reddi, Kale and Kumar (2018), "On the Convergence of Adam and Beyond", ICLR.
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} when amsgrad, {@code step}.
 */
public final class Adam extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("adam", List.of(
            Hyperparameter.nonNegative("lr", 1e-3),
            Hyperparameter.betas(0.9, 0.999),
            Hyperparameter.nonNegative("eps", 1e-8),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("amsgrad", false),
            Hyperparameter.flag("maximize", false),
            Hyperparameter.choice("eps_placement", "torch", "torch", "keras")),
            null, Adam::new);

    /** Builds Adam over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Adam(Map<String, Object> defaults, List<ParamGroup> groups) {
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
        float decay = (float) group.real("weight_decay");
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
                    float g = Math.fma(w[i], decay, sign * grad[i]);
                    float mi = Math.fma(g, rest1, m[i] * b1);
                    float vi = Math.fma(rest2 * g, g, v[i] * b2);
                    float vHat = Math.max(vMax[i], vi);
                    m[i] = mi;
                    v[i] = vi;
                    vMax[i] = vHat;
                    w[i] += negStep * mi / ((float) Math.sqrt(vHat) / correction2 + eps);
                }
            };
        }
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, sign * grad[i]);
                float mi = Math.fma(g, rest1, m[i] * b1);
                float vi = Math.fma(rest2 * g, g, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                w[i] += negStep * mi / ((float) Math.sqrt(vi) / correction2 + eps);
            }
        };
    }
}
