package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_learning_rate(lr)}: multiplies the update by −γ, turning a direction of ascent into a
 * descent step, u ← −γ u. Its {@code lr} is the chain's learning rate, which {@link Chain#lr()},
 * {@link Chain#setLr(double)} and the schedules read and set. Positional argument: {@code lr}, required and
 * &gt;= 0. No state.
 */
final class ScaleByLearningRate extends Scaling {
    ScaleByLearningRate() {
        super("scale_by_learning_rate", "lr", List.of(Hyperparameter.requiredReal("lr", x -> x >= 0, "must be >= 0")));
    }

    @Override
    protected double fold(double c, ParamStep step) {
        return c * -step.real("lr");
    }
}
