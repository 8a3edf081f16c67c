package dev.descent.nn;

import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer or a container of layers: a differentiable function of one tensor that owns named parameters
 * and named child modules, in training or evaluation mode, as PyTorch's {@code nn.Module}.
 *
 * <p>A module declares its parameters in its constructor with {@link #param}; they get storage when a
 * {@link Model} lays the module tree out in one {@link dev.descent.optim.ParamStore}, named by their path
 * as PyTorch names them ({@code 0.weight}, {@code 3.bias}). Modules start in training mode.
 */
public abstract class Module {
    private final List<ParamRef> params = new ArrayList<>();
    private final Map<String, float[]> buffers = new LinkedHashMap<>();
    private String path = "";
    private boolean training = true;

    /** Computes the output for input {@code x}, recording on {@code tape}. */
    public abstract Tensor forward(Tape tape, Tensor x);

    /** Declares a parameter; call from the constructor. */
    protected final ParamRef param(String name, Init init, int... shape) {
        for (ParamRef p : params) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException(describe() + " already has a parameter '" + name + "'");
            }
        }
        ParamRef p = new ParamRef(this, name, shape, init);
        params.add(p);
        return p;
    }

    /**
     * Declares a buffer: state that is saved with the model but not trained, such as batch norm's running
     * mean; call from the constructor.
     */
    protected final float[] buffer(String name, int size, float initial) {
        if (buffers.containsKey(name)) {
            throw new IllegalArgumentException(describe() + " already has a buffer '" + name + "'");
        }
        float[] b = new float[size];
        java.util.Arrays.fill(b, initial);
        buffers.put(name, b);
        return b;
    }

    /** The buffers this module declares itself by local name (the arrays, not copies). */
    public Map<String, float[]> ownBuffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** The parameters this module declares itself, in declaration order (not its children's). */
    public List<ParamRef> ownParams() {
        return Collections.unmodifiableList(params);
    }

    /** The child modules by name, in order; none for a plain layer. */
    public Map<String, Module> children() {
        return new LinkedHashMap<>();
    }

    /** Whether the module is in training mode (dropout active) rather than evaluation mode. */
    public boolean isTraining() {
        return training;
    }

    /** Sets training or evaluation mode here and in every descendant. */
    public void setTraining(boolean training) {
        this.training = training;
        for (Module child : children().values()) {
            child.setTraining(training);
        }
    }

    /**
     * Receives this module's own generator when a {@link Model} is built, for modules that draw random
     * numbers while running (dropout); the default ignores it.
     */
    protected void seed(SplittableRandom rng) {
    }

    /** The module's path in its model, such as {@code 3}, or empty for the root. */
    public String path() {
        return path;
    }

    void setPath(String path) {
        this.path = path;
    }

    /** A short description of the layer and its sizes, such as {@code Linear(784 -> 128)}. */
    public String describe() {
        return getClass().getSimpleName();
    }

    /**
     * An error about an input shape that names this layer, its path, what it expected and the shape it got,
     * for example {@code layer '3' Linear(128 -> 10): input [32, 64] does not match weight [10, 128]
     * (expected [batch, 128])}.
     */
    protected IllegalArgumentException shapeError(Tensor x, String detail) {
        return new IllegalArgumentException("layer '" + (path.isEmpty() ? "model" : path) + "' " + describe()
                + ": input " + Arrays.toString(x.shape()) + " " + detail);
    }

    @Override
    public String toString() {
        return describe();
    }
}
