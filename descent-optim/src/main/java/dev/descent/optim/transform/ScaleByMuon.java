package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.Muon;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Param;

import java.util.List;

/**
 * {@code scale_by_muon(momentum, nesterov, ns_steps, adamw_lr, adamw_betas, adamw_eps, use_muon)}: Muon's update,
 * momentum orthogonalized by Newton-Schulz iterations for matrices, and its AdamW fallback for every other
 * parameter.
 *
 * <pre>
 *   γ = −c,  λ = the add_decayed_weights between it and the scalings    (c: the folded scalings after it)
 *   matrices (2 or more dimensions, as shape[0] × the rest), when use_muon:
 *     b ← μ b + u,   d ← u + μ b if nesterov, else b,   X ← NewtonSchulz5(d / (‖d‖_F + 10⁻⁷))
 *     θ ← θ (1 − γλ) − γ √max(1, rows/columns) X
 *   everything else (AdamW with γₐ = adamw_lr · γ/γ₀, γ₀ the chain's lr when it was built):
 *     m ← β₁ m + (1 − β₁) u,  v ← β₂ v + (1 − β₂) u²,  θ ← θ (1 − γₐλ) − γₐ √(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε)
 * </pre>
 * Jordan et al. (2024), "Muon: An optimizer for hidden layers in neural networks",
 * kellerjordan.github.io/posts/muon; the reference and the arithmetic are {@link Muon}'s, whose kernels this
 * calls ({@link Muon#orthogonalizedMomentum}, {@link Muon#land}, {@link Muon#adamw}), so {@code muon(lr=γ, ...,
 * weight_decay=λ)} equals {@code chain(scale_by_muon(...), add_decayed_weights(λ), scale_by_learning_rate(γ))}
 * bit for bit.
 *
 * <p>The design, against Optax's: {@code optax.contrib.scale_by_muon} is the orthogonalization alone, and
 * {@code optax.contrib.muon} sends the other parameters to AdamW with {@code partition}. descent's chains apply
 * one list of transforms to every parameter, so this transform carries the fallback, as the reference's
 * {@code Muon} class does. It lands the step itself ({@link Preconditioner#mustLand()}): the orthogonalized update
 * and the decay round in one fused multiply-add, and the AdamW part decays at its own rate γₐλ, so it comes right
 * before the final scalings (add_decayed_weights between allowed), in a chain with one
 * {@code scale_by_learning_rate}. It reads the whole update of a matrix, so it starts a pass of its own on the
 * calling thread. State: {@code momentum_buffer} (matrices); {@code exp_avg}, {@code exp_avg_sq} (AdamW); the chain
 * keeps each group's {@code initial_lr}.
 */
final class ScaleByMuon extends Lands {
    ScaleByMuon() {
        super("scale_by_muon", List.of(
                Hyperparameter.real("momentum", 0.95, x -> x >= 0 && x < 1, "must be in [0, 1)"),
                Hyperparameter.flag("nesterov", true),
                Hyperparameter.integer("ns_steps", 5, 0),
                Hyperparameter.nonNegative("adamw_lr", 3e-4),
                Hyperparameter.reals("adamw_betas", new double[] {0.95, 0.95}, x -> x >= 0 && x < 1, "must be in [0, 1)"),
                Hyperparameter.nonNegative("adamw_eps", 1e-8),
                Hyperparameter.flag("use_muon", true)), null);
    }

    /** add_decayed_weights may sit before the final scalings: Muon applies the decay at its own step sizes. */
    @Override
    protected boolean takesDecay() {
        return true;
    }

    @Override
    protected boolean readsUpdate() {
        return true;
    }

    @Override
    protected Loop land(ParamStep step, double factor, double decay, float shrink) {
        Param p = step.param();
        double lr = -factor;
        Optimizer.Kernel k;
        if (Muon.orthogonalized(p, step.flag("use_muon"))) {
            float[] o = Muon.orthogonalizedMomentum(step.update(), step.buffer("momentum_buffer"), p, (float) step.real("momentum"),
                    step.flag("nesterov"), (int) step.integer("ns_steps"));
            k = Muon.land(p, o, lr, decay);
        } else {
            double rate = Muon.adamwRate(step.real("adamw_lr"), lr, step.initialLearningRate());
            k = Muon.adamw(step.update(), step.params(), step.buffer("exp_avg"), step.buffer("exp_avg_sq"), step.step(), rate, decay,
                    step.real("adamw_betas", 0), step.real("adamw_betas", 1), step.real("adamw_eps"));
        }
        return k::apply;
    }
}
