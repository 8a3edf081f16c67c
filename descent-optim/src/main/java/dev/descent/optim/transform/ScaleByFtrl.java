package dev.descent.optim.transform;

import dev.descent.optim.Ftrl;
import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_ftrl(learning_rate_power, initial_accumulator_value, l1_regularization_strength,
 * l2_regularization_strength, l2_shrinkage_regularization_strength, beta)}: FTRL-Proximal, which does not add
 * an update to θ but solves for the new θ in closed form from its running sums, so that L1 sets weights to
 * exactly zero.
 *
 * <pre>
 *   γ = −c                                  (c: the folded scalings after it, so scale_by_learning_rate(γ) gives γ)
 *   n' ← n + u²,   σ ← (n'^(−p) − n^(−p)) / γ,   z ← z + u + 2λ₂ₛθ − σθ
 *   θ ← 0 if |z| ≤ λ₁, else −(z − sign(z) λ₁) / ((β + n'^(−p))/γ + 2λ₂),   n ← n'
 * </pre>
 * McMahan et al. (2013), "Ad Click Prediction: a View from the Trenches", KDD, Algorithm 1, with Keras's names
 * and defaults; the kernel is {@link Ftrl}'s ({@link Ftrl#step}), so {@code ftrl(lr=γ, ...)} equals
 * {@code chain(scale_by_ftrl(...), scale_by_learning_rate(γ))} bit for bit. Since the new point is solved for,
 * not reached by adding u, this is a transform that lands the step itself ({@link Preconditioner#mustLand()}):
 * a chain accepts it only right before its final scalings, which give its learning rate (it must be &gt; 0).
 * Transforms before it shape the gradient it sees (clipping, {@code scale(-1)} to maximize). Optax has no FTRL.
 * State: {@code accumulator} (n, starting at {@code initial_accumulator_value}), {@code linear} (z).
 */
final class ScaleByFtrl extends Lands {
    ScaleByFtrl() {
        super("scale_by_ftrl", List.of(
                Hyperparameter.real("learning_rate_power", -0.5, x -> x <= 0, "must be <= 0"),
                Hyperparameter.nonNegative("initial_accumulator_value", 0.1),
                Hyperparameter.nonNegative("l1_regularization_strength", 0),
                Hyperparameter.nonNegative("l2_regularization_strength", 0),
                Hyperparameter.nonNegative("l2_shrinkage_regularization_strength", 0),
                Hyperparameter.nonNegative("beta", 0)), null);
    }

    @Override
    protected Loop land(ParamStep step, double factor, float shrink) {
        double lr = -factor;
        if (!(lr > 0)) {
            throw new IllegalArgumentException("scale_by_ftrl: its learning rate, minus the product of the scalings after it, "
                    + "must be > 0 (FTRL divides by it), but is " + lr);
        }
        float[] u = step.update();
        float[] w = step.params();
        float[] n = step.buffer("accumulator", (float) step.real("initial_accumulator_value"));
        float[] z = step.buffer("linear");
        Ftrl.Coefficients k = Ftrl.coefficients(lr, step.real("learning_rate_power"), step.real("l1_regularization_strength"),
                step.real("l2_regularization_strength"), step.real("l2_shrinkage_regularization_strength"), step.real("beta"));
        return (from, to) -> Ftrl.step(u, w, n, z, from, to, k);
    }
}
