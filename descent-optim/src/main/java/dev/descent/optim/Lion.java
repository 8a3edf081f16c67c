package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * Lion (evoLved sIgn mOmeNtum): every coordinate moves by exactly the learning rate, in the direction of
 * the sign of an interpolation between the momentum and the gradient.
 *
 * <pre>
 *   θ ← θ (1 − γλ)                               (decoupled decay, as AdamW)
 *   c ← β₁ m + (1 − β₁) g                        (the direction uses β₁ ...)
 *   θ ← θ − γ sign(c)                            (sign(0) = 0)
 *   m ← β₂ m + (1 − β₂) g                        (... the momentum keeps β₂)
 * </pre>
 * Chen et al. (2023), "Symbolic Discovery of Optimization Algorithms", NeurIPS, arXiv:2302.06675,
 * Algorithm 2; the reference implementation is {@code lion_pytorch.py} in google/automl (directory
 * {@code lion}), whose names and defaults these are: {@code lr=1e-4}, {@code betas=(0.9, 0.99)},
 * {@code weight_decay=0}. The reference has no {@code maximize}, so neither has this. Since every step has
 * the size γ, Lion wants a learning rate 3-10 times smaller than AdamW's and a weight decay as many times
 * larger. State: {@code exp_avg}, {@code step}.
 */
public final class Lion extends Optimizer {
    /** The description, with the reference implementation's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("lion", List.of(
            Hyperparameter.nonNegative("lr", 1e-4),
            Hyperparameter.betas(0.9, 0.99),
            Hyperparameter.nonNegative("weight_decay", 0)),
            null, Lion::new);

    /** Builds Lion over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Lion(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] m = state.buffer("exp_avg");
        double beta1 = group.real("betas", 0);
        double beta2 = group.real("betas", 1);
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float shrink = (float) (1 - group.lr() * group.real("weight_decay"));
        float negLr = (float) -group.lr();
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = grad[i];
                float c = Math.fma(g, rest1, m[i] * b1);
                w[i] = Math.fma(Kernels.sign(c), negLr, w[i] * shrink);
                m[i] = Math.fma(g, rest2, m[i] * b2);
            }
        };
    }
}
