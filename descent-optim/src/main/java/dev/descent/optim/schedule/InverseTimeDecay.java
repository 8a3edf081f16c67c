package dev.descent.optim.schedule;

/**
 * Inverse-time decay, as Keras's {@code InverseTimeDecay}.
 *
 * <pre>
 *   η_k = η_initial / (1 + decay_rate · p),    p = k / decay_steps,  or ⌊k / decay_steps⌋ with staircase
 * </pre>
 * {@code η_initial} is {@code initial_learning_rate} when given (Keras requires it; the group's own lr is
 * then ignored), else the group's base learning rate. Keras computes in float32; descent in double.
 *
 * @param initialLearningRate {@code initial_learning_rate}, or null for the group's base lr
 * @param decaySteps          {@code decay_steps}, > 0
 * @param decayRate           {@code decay_rate}, >= 0
 * @param staircase           {@code staircase} (default false)
 */
public record InverseTimeDecay(Double initialLearningRate, double decaySteps, double decayRate, boolean staircase)
        implements ClosedFormSchedule {
    /** Checks the values. */
    public InverseTimeDecay {
        if (initialLearningRate != null) {
            Rules.finite("inversetimedecay", "initial_learning_rate", initialLearningRate);
        }
        if (!(decaySteps > 0) || Double.isInfinite(decaySteps)) {
            throw Rules.invalid("inversetimedecay", "decay_steps", decaySteps, "must be a finite number > 0");
        }
        if (!(decayRate >= 0) || Double.isInfinite(decayRate)) {
            throw Rules.invalid("inversetimedecay", "decay_rate", decayRate, "must be a finite number >= 0");
        }
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        double initial = initialLearningRate != null ? initialLearningRate : group.lr();
        double p = step / decaySteps;
        if (staircase) {
            p = Math.floor(p);
        }
        return initial / (1 + decayRate * p);
    }

    @Override
    public String toString() {
        return Rules.spec("inversetimedecay", "initial_learning_rate", initialLearningRate, "decay_steps", decaySteps,
                "decay_rate", decayRate, "staircase", staircase);
    }
}
