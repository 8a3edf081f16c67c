package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_learning_rate(lr, flip_sign)}: multiplies the update by −γ, turning a direction of ascent into a
 * descent step, u ← −γ u; with {@code flip_sign=false} (Optax's option), by +γ, for a chain that turns the sign
 * later ({@code scale(-1)} at the end, as Optax's Adafactor). Its {@code lr} is the chain's learning rate, which
 * {@link Chain#lr()}, {@link Chain#setLr(double)} and the schedules read and set. Positional argument: {@code lr},
 * required and &gt;= 0. No state.
 */
final class ScaleByLearningRate extends Scaling {
    ScaleByLearningRate() {
        super("scale_by_learning_rate", "lr", List.of(Hyperparameter.requiredReal("lr", x -> x >= 0, "must be >= 0"),
                Hyperparameter.flag("flip_sign", true)));
    }

    @Override
    protected double fold(double c, ParamStep step) {
        return c * (step.flag("flip_sign") ? -step.real("lr") : step.real("lr"));
    }
}
