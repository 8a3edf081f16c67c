package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_lion(betas)}: replaces the update by the sign of an interpolation between the momentum and
 * the update, so that every coordinate moves by the same amount, Lion's direction.
 *
 * <pre>
 *   u ← c · sign(β₁ m + (1 − β₁) u)       (the direction uses β₁ ...; sign(0) = 0; c = 1 or a folded step size)
 *   m ← β₂ m + (1 − β₂) u_in               (... the momentum keeps β₂, on the incoming update)
 * </pre>
 * Chen et al. (2023), "Symbolic Discovery of Optimization Algorithms", NeurIPS, arXiv:2302.06675, Algorithm 2;
 * names, defaults and arithmetic are {@link dev.descent.optim.Lion}'s. A {@link Preconditioner} because the
 * sign is a division by |·|: it takes the folded step size, so that Lion's decoupled decay
 * ({@code add_decayed_weights} after it) lands as the fused shrink θ(1 − γλ). State: {@code exp_avg}.
 */
final class ScaleByLion extends Preconditioner {
    ScaleByLion() {
        super("scale_by_lion", List.of(
                Hyperparameter.betas(0.9, 0.99)), null);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        float[] m = step.buffer("exp_avg");
        double beta1 = step.real("betas", 0);
        double beta2 = step.real("betas", 1);
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float c = (float) factor;
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = u[i];
                float direction = Math.fma(g, rest1, m[i] * b1);
                u[i] = c * Math.signum(direction);
                m[i] = Math.fma(g, rest2, m[i] * b2);
            }
        };
    }
}
