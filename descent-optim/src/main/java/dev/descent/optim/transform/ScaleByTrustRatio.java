package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.SquareSums;

import java.util.List;

/**
 * {@code scale_by_trust_ratio(trust_coefficient, eps)}: rescales each parameter's update by the ratio of the
 * parameter's norm to the update's, so that every layer moves by a similar fraction of its size.
 *
 * <pre>
 *   q ← η ‖θ‖ / (‖u‖ + ε)       (1 when either norm is 0; norms over the whole parameter, in double)
 *   u ← q u
 * </pre>
 * After {@code scale_by_adam} and {@code add_decayed_weights} it is LAMB's layer-wise rescaling: You et al.
 * (2020), "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes", ICLR, arXiv:1904.00962,
 * Algorithm 2 with φ the identity ({@link dev.descent.optim.Lamb}). The rule and defaults ({@code
 * trust_coefficient=1}, {@code eps=0}) are Optax's. It reads the whole update of its parameter, so earlier
 * transforms finish first; as a {@link Scaling} it folds q into the chain's final step size, where LAMB applies
 * it. No state.
 */
final class ScaleByTrustRatio extends Scaling {
    ScaleByTrustRatio() {
        super("scale_by_trust_ratio", null, List.of(
                Hyperparameter.nonNegative("trust_coefficient", 1.0),
                Hyperparameter.nonNegative("eps", 0)));
    }

    @Override
    protected boolean readsUpdate() {
        return true;
    }

    @Override
    protected double fold(double c, ParamStep step) {
        double paramNorm = Math.sqrt(SquareSums.of(step.params(), step.from(), step.to()));
        double updateNorm = Math.sqrt(SquareSums.of(step.update(), step.from(), step.to()));
        if (paramNorm == 0 || updateNorm == 0) {
            return c;
        }
        return c * (step.real("trust_coefficient") * paramNorm / (updateNorm + step.real("eps")));
    }
}
