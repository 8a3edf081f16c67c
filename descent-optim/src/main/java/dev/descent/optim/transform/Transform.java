package dev.descent.optim.transform;

import dev.descent.optim.Algorithm;
import dev.descent.optim.Hyperparameter;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A gradient transformation, one link of a {@link Chain}: it rewrites the update vector u (which starts as a
 * copy of the gradient) in place, one parameter's slice at a time, with its own per-parameter state.
 *
 * <p>A transform holds only its math; its hyperparameter values live in the chain's parameter groups and its
 * state in the parameter's {@link dev.descent.optim.ParamState}, both reached through the {@link ParamStep}
 * it is given. Names are verb phrases that say what happens to the update, as in Optax: {@code scale_by_adam},
 * {@code add_decayed_weights}, {@code clip_by_global_norm}. Hyperparameters are declared, defaulted and
 * validated as an optimizer's are ({@link Hyperparameter}).
 *
 * <p>Most transforms are elementwise. One that must read the whole update before changing it (a norm, a mean)
 * says so with {@link #readsUpdate()}; the chain then finishes every earlier transform on every parameter
 * first, and sums {@link #measure} over all parameters for a global quantity such as the global norm.
 */
public abstract class Transform {
    /** The elementwise part of one parameter's transform, applied to index range {@code [from, to)} of the flat arrays. */
    @FunctionalInterface
    public interface Loop {
        /** Transforms elements {@code from} (inclusive) to {@code to} (exclusive). */
        void apply(int from, int to);
    }

    private final Algorithm description;
    private final String positional;

    /**
     * Declares a transform.
     *
     * @param name            its name as specs write it
     * @param positional      the hyperparameter a single positional argument sets ({@code clip_by_global_norm(1.0)}),
     *                        or null when the transform takes only key=value arguments
     * @param hyperparameters its hyperparameters, with defaults and rules
     * @param crossCheck      a rule across the resolved values (throws IllegalArgumentException), or null
     */
    protected Transform(String name, String positional, List<Hyperparameter> hyperparameters,
                        Consumer<Map<String, Object>> crossCheck) {
        this.description = Algorithm.of(name, hyperparameters, crossCheck, (defaults, groups) -> {
            throw new IllegalArgumentException(name + " is a gradient transformation, not an optimizer; use it inside chain(...)");
        });
        this.positional = positional;
    }

    /** The name as specs write it, such as {@code scale_by_adam}. */
    public final String name() {
        return description.name();
    }

    /** The declared hyperparameters, in order. */
    public final List<Hyperparameter> hyperparameters() {
        return description.hyperparameters();
    }

    /** The hyperparameter a single positional argument sets, or null. */
    public final String positional() {
        return positional;
    }

    /**
     * Completes and validates values written for this transform (unknown keys get a "did you mean").
     *
     * @throws IllegalArgumentException naming the transform, the key, the value and the rule it broke
     */
    public final Map<String, Object> resolve(Map<String, ?> given) {
        return description.resolve(null, given);
    }

    /** Writes values as a spec, {@code name(key=value, ...)}; just {@code name} without hyperparameters. */
    public final String render(Map<String, ?> values) {
        return hyperparameters().isEmpty() ? name() : description.render(values);
    }

    /**
     * Prepares this transform for one parameter in one step: reads its hyperparameters, creates or reads its
     * state, and returns the elementwise loop over the parameter's slice of {@code step.update()}.
     */
    protected abstract Loop update(ParamStep step);

    /** Whether {@link #update} reads the update vector, so every earlier transform must have finished first. */
    protected boolean readsUpdate() {
        return false;
    }

    /**
     * For a transform that needs a quantity of the whole update (the global norm): this parameter's part of it,
     * summed over every parameter that takes the step and handed to {@link #update} as {@link ParamStep#total()}.
     * Called only when {@link #readsUpdate()}.
     */
    protected double measure(ParamStep step) {
        return 0;
    }

    /**
     * The length of this transform's state array {@code name} for {@code p} when it is a
     * {@linkplain ParamStep#vector vector of its own} (Adafactor's row and column accumulators), or -1 for a buffer
     * laid out like the store (the default). Loading a state dict checks lengths with it.
     */
    protected int vectorLength(dev.descent.optim.Param p, String name) {
        return -1;
    }

    @Override
    public String toString() {
        return description.toString();
    }
}
