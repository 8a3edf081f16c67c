package dev.descent.nn;

import dev.descent.tensor.Tensor;

import java.util.Arrays;

/**
 * A parameter a {@link Module} declares: its local name ({@code weight}), shape and initializer, and, once
 * a {@link Model} has laid the module out, its tensor, a view into the model's
 * {@link dev.descent.optim.ParamStore}.
 */
public final class ParamRef {
    private final Module owner;
    private final String name;
    private final int[] shape;
    private final Init init;
    private Tensor tensor;

    ParamRef(Module owner, String name, int[] shape, Init init) {
        this.owner = owner;
        this.name = name;
        this.shape = shape.clone();
        this.init = init;
    }

    /** The local name, such as {@code weight}; the model's name prefixes the module's path ({@code 0.weight}). */
    public String name() {
        return name;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    int[] shapeRef() {
        return shape;
    }

    /** The initializer. */
    public Init init() {
        return init;
    }

    /**
     * The tensor view of this parameter.
     *
     * @throws IllegalStateException before the module is part of a {@link Model}
     */
    public Tensor tensor() {
        if (tensor == null) {
            throw new IllegalStateException("parameter '" + name + "' of " + owner.describe()
                    + " has no storage yet: build a Model from the module first");
        }
        return tensor;
    }

    void bind(Tensor t) {
        if (tensor != null) {
            throw new IllegalStateException(owner.describe() + " already belongs to a Model; build a new module");
        }
        this.tensor = t;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
