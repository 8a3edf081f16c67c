package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.SquareSums;

import java.util.List;

/**
 * {@code scale_by_lars(weight_decay, trust_coefficient, eps, trust_clip, always_adapt)}: adds the decayed
 * weights and rescales each parameter's update by LARS's layer-wise rate.
 *
 * <pre>
 *   q ← η ‖θ‖ / (‖u‖ + λ‖θ‖ + ε)      (1 when either norm is 0; norms over the whole parameter, in double)
 *   q ← min(q/γ, 1)                    if trust_clip (γ the chain's lr)
 *   u ← q (u + λθ)                     when λ ≠ 0 or always_adapt; else u ← u + λθ with q = 1
 * </pre>
 * You, Gitman and Ginsburg (2017), "Large Batch Training of Convolutional Networks", arXiv:1708.03888,
 * Algorithm 1 (η = trust_coefficient, β = weight_decay). Names, defaults, switches and arithmetic are
 * {@link dev.descent.optim.Lars}'s (timm's). Unlike {@code scale_by_trust_ratio} the denominator bounds
 * ‖u + λθ‖ by ‖u‖ + λ‖θ‖, as the paper writes it, so the decay is a hyperparameter of this transform rather
 * than an {@code add_decayed_weights} before it. Followed by {@code trace} it is LARS with momentum. It reads
 * the whole update of its parameter, so earlier transforms finish first. No state.
 */
final class ScaleByLars extends Transform {
    ScaleByLars() {
        super("scale_by_lars", null, List.of(
                Hyperparameter.nonNegative("weight_decay", 0),
                Hyperparameter.nonNegative("trust_coefficient", 1e-3),
                Hyperparameter.nonNegative("eps", 1e-8),
                Hyperparameter.flag("trust_clip", false),
                Hyperparameter.flag("always_adapt", false)), null);
    }

    @Override
    protected boolean readsUpdate() {
        return true;
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float[] w = step.params();
        double lambda = step.real("weight_decay");
        double trust = 1;
        if (lambda != 0 || step.flag("always_adapt")) {
            double paramNorm = Math.sqrt(SquareSums.of(w, step.from(), step.to()));
            double updateNorm = Math.sqrt(SquareSums.of(u, step.from(), step.to()));
            if (paramNorm > 0 && updateNorm > 0) {
                trust = step.real("trust_coefficient") * paramNorm / (updateNorm + lambda * paramNorm + step.real("eps"));
            }
            if (step.flag("trust_clip")) {
                trust = Math.min(trust / step.learningRate(), 1);
            }
        }
        float q = (float) trust;
        float qDecay = (float) (trust * lambda);
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                u[i] = Math.fma(w[i], qDecay, q * u[i]);
            }
        };
    }
}
