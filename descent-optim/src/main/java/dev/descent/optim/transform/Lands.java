package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A preconditioner that always lands the step itself ({@link Preconditioner#mustLand()}): FTRL, ASGD,
 * schedule-free and Muon, whose fused optimizers do not add an update to θ. It has no update of its own to hand on,
 * so only {@link #land(ParamStep, double, float)} (or its form with the decay) computes anything; the chain refuses a
 * layout where it would not take the folded factor. Decoupled decays may not sit between it and the final scalings
 * unless it says otherwise ({@link #takesDecay()}).
 */
abstract class Lands extends Preconditioner {
    /** Declares a landing preconditioner; see {@link Transform#Transform}. */
    Lands(String name, List<Hyperparameter> hyperparameters, Consumer<Map<String, Object>> crossCheck) {
        super(name, hyperparameters, crossCheck);
    }

    @Override
    protected final boolean mustLand() {
        return true;
    }

    @Override
    protected boolean takesDecay() {
        return false;
    }

    /** Never reached: the chain refuses, when it is built, a layout where this would not land the step. */
    @Override
    protected final Loop update(ParamStep step, double factor) {
        throw new IllegalStateException(name() + " must land the step itself; the chain should have refused this layout");
    }
}
