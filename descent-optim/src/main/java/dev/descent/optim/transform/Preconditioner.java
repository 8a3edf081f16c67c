package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A transform that divides the update by a running statistic of the gradients (Adam's, RMSprop's,
 * Adagrad's, Adamax's, ...; Lion's sign is a division by |·|), u ← c·n / d, and so can take a factor c into
 * its numerator.
 *
 * <p>That is where PyTorch applies the step size ({@code param.addcdiv_(exp_avg, denom, value=-step_size)}):
 * when a preconditioner is followed only by scalings (and decoupled weight decay) at the end of a chain, the
 * chain hands it their folded factor instead of scaling afterwards, so that the chain rounds as the fused
 * optimizer does. Without such a tail the factor is 1.
 *
 * <p>Some preconditioners are more than a division: their fused optimizer does not add an update to θ but solves
 * for the new point (FTRL), keeps a second copy of the weights (ASGD's average, schedule-free's z) or lands the
 * step with its own rounding (Muon). They say so with {@link #mustLand()}: they always land the step themselves,
 * so a chain accepts them only where they take the folded factor, followed by nothing but scalings (and, when
 * {@link #takesDecay()}, decoupled decays), and they read that factor as −(their learning rate).
 */
public abstract class Preconditioner extends Transform {
    /** Declares a preconditioner; see {@link Transform#Transform}. */
    protected Preconditioner(String name, List<Hyperparameter> hyperparameters, Consumer<Map<String, Object>> crossCheck) {
        super(name, null, hyperparameters, crossCheck);
    }

    /** The loop for one parameter, multiplying {@code factor} (a folded step size, in double) into the numerator. */
    protected abstract Loop update(ParamStep step, double factor);

    /**
     * For a preconditioner whose fused optimizer adds its step to θ in more than one rounding (NAdam's two
     * {@code addcdiv_}): the loop that, in place of {@link #update(ParamStep, double)} and the chain's last pass,
     * lands the step on θ itself, θ ← θ·shrink + u in the fused optimizer's order. Called only when this
     * preconditioner takes the folded factor. Null (the default) lets the chain add u.
     */
    protected Loop land(ParamStep step, double factor, float shrink) {
        return null;
    }

    /**
     * {@link #land(ParamStep, double, float)} with also the sum λ of the decoupled decays folded into
     * {@code shrink} = 1 + cλ, for a preconditioner that applies the decay at a step size of its own (Muon's AdamW
     * part). The chain calls this one; by default it ignores λ.
     */
    protected Loop land(ParamStep step, double factor, double decay, float shrink) {
        return land(step, factor, shrink);
    }

    /**
     * Whether this preconditioner always lands the step itself ({@link #land} never returns null), so that it is
     * only valid where it takes the chain's folded factor. False by default.
     */
    protected boolean mustLand() {
        return false;
    }

    /** Whether decoupled decays ({@code add_decayed_weights}) may sit between this and the final scalings. True by default. */
    protected boolean takesDecay() {
        return true;
    }

    @Override
    protected final Loop update(ParamStep step) {
        return update(step, 1.0);
    }
}
