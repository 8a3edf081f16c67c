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

    @Override
    protected final Loop update(ParamStep step) {
        return update(step, 1.0);
    }
}
