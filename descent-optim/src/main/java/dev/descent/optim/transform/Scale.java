package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale(step_size)}: multiplies the update by a constant, u ← k u. {@code scale(-0.001)} at the end of
 * a chain is a fixed learning rate; {@code scale(-1)} at the start is PyTorch's {@code maximize}. Positional
 * argument: {@code step_size} (Optax's name), any finite number. No state.
 */
final class Scale extends Scaling {
    Scale() {
        super("scale", "step_size", List.of(Hyperparameter.requiredReal("step_size", x -> true, "")));
    }

    @Override
    protected double fold(double c, ParamStep step) {
        return c * step.real("step_size");
    }
}
