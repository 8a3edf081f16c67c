package dev.descent.optim.transform;

import dev.descent.optim.Asgd;
import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_asgd(lambd, alpha, t0)}: averaged SGD's step, a decaying step size η_t with a decay λ of the
 * weights, and the Polyak average θ̄ of the iterates, which is the method's answer, kept in this transform's state.
 *
 * <pre>
 *   γ = −c                                   (c: the folded scalings after it, so scale_by_learning_rate(γ) gives γ)
 *   θ ← θ (1 − λ η_t) − η_t u
 *   θ̄ ← θ  while μ_t = 1,   θ̄ ← θ̄ + μ_t (θ − θ̄)  afterwards
 *   η_{t+1} ← γ / (1 + λ γ t)^α,   μ_{t+1} ← 1 / max(1, t − t₀)     (η_1 = γ; both float32)
 * </pre>
 * Polyak and Juditsky (1992), "Acceleration of Stochastic Approximation by Averaging", SIAM J. Control and
 * Optimization 30(4); the step sizes from Bottou (2012), "Stochastic Gradient Descent Tricks". The arithmetic is
 * PyTorch's ASGD's, through {@link Asgd}'s kernel ({@link Asgd#step}), so
 * {@code asgd(lr=γ, lambd, alpha, t0, weight_decay=λ)} equals
 * {@code chain(add_decayed_weights(λ), scale_by_asgd(lambd, alpha, t0), scale_by_learning_rate(γ))} bit for bit.
 *
 * <p>Why a transform that lands the step ({@link Preconditioner#mustLand()}) and not a pure gradient transform:
 * the average θ̄ is of the <i>new</i> θ, which exists only once the step has landed, and it never feeds back into
 * θ; and the step rounds as θ(1 − λη) − ηu in one fused multiply-add, which an added update cannot reproduce. So
 * this transform comes right before the final scalings, takes their product as −γ, and writes θ and θ̄ in one
 * pass. Read the average as the state {@code scale_by_asgd.ax}. State: {@code ax}, {@code eta}, {@code mu}.
 */
final class ScaleByAsgd extends Lands {
    ScaleByAsgd() {
        super("scale_by_asgd", List.of(
                Hyperparameter.real("lambd", 1e-4, x -> true, ""),
                Hyperparameter.real("alpha", 0.75, x -> true, ""),
                Hyperparameter.real("t0", 1e6, x -> true, "")), null);
    }

    @Override
    protected Loop land(ParamStep step, double factor, float shrink) {
        double lr = -factor;
        float[] u = step.update();
        float[] w = step.params();
        float[] ax = step.buffer("ax");
        double lambd = step.real("lambd");
        long t = step.step();
        float eta = (float) step.scalar("eta", (float) lr);
        float mu = (float) step.scalar("mu", 1.0);
        step.setScalar("eta", Asgd.nextEta(lr, lambd, step.real("alpha"), t));
        step.setScalar("mu", Asgd.nextMu(step.real("t0"), t));
        return (from, to) -> Asgd.step(u, 1f, 0f, w, ax, from, to, eta, lambd, mu);
    }
}
