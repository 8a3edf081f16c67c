package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * A transform that multiplies the whole update by one number per parameter and step: u ← k u.
 *
 * <p>A run of scalings at the end of a chain is not a pass of its own: the chain multiplies their factors
 * together with {@link #fold} and applies the product where it rounds least (see {@link Chain}).
 */
public abstract class Scaling extends Transform {
    /** Declares a scaling; see {@link Transform#Transform}. */
    protected Scaling(String name, String positional, List<Hyperparameter> hyperparameters) {
        super(name, positional, hyperparameters, null);
    }

    /** The factor {@code c} (already folded from the transforms after this one) times this transform's, in double. */
    protected abstract double fold(double c, ParamStep step);

    @Override
    protected final Loop update(ParamStep step) {
        float[] u = step.update();
        float k = (float) fold(1.0, step);
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                u[i] *= k;
            }
        };
    }
}
