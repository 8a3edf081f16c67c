package dev.descent.optim.transform;

import dev.descent.optim.Param;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamState;

import java.util.Map;

/**
 * What one transform sees of one parameter in one step: the update vector, the parameter's values, the
 * transform's hyperparameter values in the parameter's group, its state and the step count.
 *
 * <p>Arrays are store-wide; the parameter's slice is {@code [from(), to())}. Buffers are named by the
 * transform ({@code exp_avg}) and stored under the transform's label ({@code scale_by_adam.exp_avg}), so
 * two transforms of one chain never share state.
 */
public final class ParamStep {
    private final ParamGroup group;
    private final Param param;
    private final ParamState state;
    private final float[] update;
    private final String label;
    private final Map<String, String> keys;
    private final String lrKey;
    private final double total;
    private final java.util.function.DoubleSupplier initialLr;

    ParamStep(ParamGroup group, Param param, ParamState state, float[] update, String label, Map<String, String> keys,
              String lrKey, double total, java.util.function.DoubleSupplier initialLr) {
        this.group = group;
        this.param = param;
        this.state = state;
        this.update = update;
        this.label = label;
        this.keys = keys;
        this.lrKey = lrKey;
        this.total = total;
        this.initialLr = initialLr;
    }

    /** The parameter. */
    public Param param() {
        return param;
    }

    /** The first index of the parameter's slice. */
    public int from() {
        return param.offset();
    }

    /** One past the last index of the parameter's slice. */
    public int to() {
        return param.offset() + param.size();
    }

    /** The store-wide update vector u, which the transforms rewrite in place. */
    public float[] update() {
        return update;
    }

    /**
     * The store-wide parameter values θ, as they were before this step (a transform reads them, never writes;
     * only a preconditioner's {@link Preconditioner#land}, which takes the chain's last pass, writes them).
     */
    public float[] params() {
        return param.store().data();
    }

    /** The number of steps this parameter has taken, counting this one. */
    public long step() {
        return state.step();
    }

    /** The real hyperparameter {@code key} of this transform, in this parameter's group. */
    public double real(String key) {
        return group.real(keys.get(key));
    }

    /** Element {@code i} of the tuple hyperparameter {@code key}. */
    public double real(String key, int i) {
        return group.real(keys.get(key), i);
    }

    /** The value of hyperparameter {@code key} as held (a {@link dev.descent.optim.spec.Spec} for a nested spec). */
    public Object value(String key) {
        return group.get(keys.get(key));
    }

    /** The integer hyperparameter {@code key}. */
    public long integer(String key) {
        return group.integer(keys.get(key));
    }

    /** The word (a choice such as {@code eps_placement}) {@code key}. */
    public String word(String key) {
        return group.word(keys.get(key));
    }

    /** The flag {@code key}. */
    public boolean flag(String key) {
        return group.flag(keys.get(key));
    }

    /** The chain's learning rate (the {@code lr} of its {@code scale_by_learning_rate}) in this parameter's group. */
    public double learningRate() {
        if (lrKey == null) {
            throw new IllegalStateException(label + " needs the chain's learning rate, but the chain has no scale_by_learning_rate");
        }
        return group.real(lrKey);
    }

    /**
     * The chain's learning rate in this parameter's group when the chain was built (Muon's γ₀, which its AdamW
     * part scales by); saved with the group as {@code initial_lr}.
     */
    public double initialLearningRate() {
        if (initialLr == null) {
            throw new IllegalStateException(label + " needs the chain's learning rate, but the chain has no scale_by_learning_rate");
        }
        return initialLr.getAsDouble();
    }

    /** Whether this transform's buffer {@code name} exists for this parameter. */
    public boolean has(String name) {
        return state.has(label + "." + name);
    }

    /** This transform's buffer {@code name} (store-wide); the parameter's slice starts at zero when new. */
    public float[] buffer(String name) {
        return state.buffer(label + "." + name);
    }

    /** This transform's buffer {@code name}; the parameter's slice starts at {@code initial} when new. */
    public float[] buffer(String name, float initial) {
        return state.buffer(label + "." + name, initial);
    }

    /**
     * This transform's array {@code name} of its own length (not laid out like the store), zeros when new; its
     * {@link Transform#vectorLength} must give the same length.
     */
    public float[] vector(String name, int length) {
        return state.vector(label + "." + name, length);
    }

    /** This transform's scalar {@code name} for this parameter, {@code initial} until first set. */
    public double scalar(String name, double initial) {
        return state.scalar(label + "." + name, initial);
    }

    /** Sets this transform's scalar {@code name} for this parameter; it is saved with the state. */
    public void setScalar(String name, double value) {
        state.setScalar(label + "." + name, value);
    }

    /** The sum of {@link Transform#measure} over every parameter taking this step (0 unless the transform measures). */
    public double total() {
        return total;
    }
}
