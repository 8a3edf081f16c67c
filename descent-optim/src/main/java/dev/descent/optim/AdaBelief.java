package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * AdaBelief: Adam whose second moment tracks the variance of the gradient around its running mean (the
 * "belief" in the gradient) instead of its raw square, so steps are large where the gradient is as
 * predicted and small where it surprises.
 *
 * <pre>
 *   g ← ∇ + λθ              if not weight_decouple (L2 penalty)
 *   θ ← θ (1 − γλ)          if weight_decouple, or θ (1 − λ) with fixed_decay
 *   m ← β₁ m + (1 − β₁) g
 *   s ← β₂ s + (1 − β₂) (g − m)² + ε              (ε added inside s, and stored)
 *   θ ← θ − γ/(1 − β₁ᵗ) · m / (√s / √(1 − β₂ᵗ) + ε)
 * </pre>
 * Zhuang et al. (2020), "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients",
 * NeurIPS, arXiv:2010.07468, Algorithm 2; the reference implementation is {@code adabelief_pytorch} 0.2 in
 * juntang-zhuang/Adabelief-Optimizer, whose names and defaults these are ({@code eps=1e-16},
 * {@code weight_decouple=true}). Its {@code rectify} switch (RAdam's rectification, on by default there)
 * and {@code amsgrad} are not in the paper's algorithm box and not implemented; the rule above is the
 * reference with {@code rectify=False, amsgrad=False}. State: {@code exp_avg}, {@code exp_avg_var},
 * {@code step}.
 */
public final class AdaBelief extends Optimizer {
    /** The description, with the reference implementation's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("adabelief", List.of(
            Hyperparameter.nonNegative("lr", 1e-3),
            Hyperparameter.reals("betas", new double[] {0.9, 0.999}, x -> x >= 0 && x < 1, "must be in [0, 1)"),
            Hyperparameter.nonNegative("eps", 1e-16),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("weight_decouple", true),
            Hyperparameter.flag("fixed_decay", false)),
            null, AdaBelief::new);

    /** Builds AdaBelief over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public AdaBelief(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] m = state.buffer("exp_avg");
        float[] s = state.buffer("exp_avg_var");
        double beta1 = group.real("betas", 0);
        double beta2 = group.real("betas", 1);
        long t = state.step();
        double lambda = group.real("weight_decay");
        boolean decouple = group.flag("weight_decouple");
        // One loop for both forms: the coupled decay is zero when decoupled, the shrink is one when coupled.
        float decay = decouple ? 0f : (float) lambda;
        float shrink = !decouple ? 1f : (float) (1 - (group.flag("fixed_decay") ? 1 : group.lr()) * lambda);
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) group.real("eps");
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float negStep = (float) -(group.lr() / (1 - Math.pow(beta1, t)));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, grad[i]);
                float wi = w[i] * shrink;
                float mi = Math.fma(g, rest1, m[i] * b1);
                float r = g - mi;
                float si = Math.fma(rest2 * r, r, s[i] * b2) + eps;
                m[i] = mi;
                s[i] = si;
                w[i] = wi + negStep * mi / ((float) Math.sqrt(si) / correction2 + eps);
            }
        };
    }
}
