package dev.descent.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Flat storage for a model's parameters: one {@code float[]} of values and a twin array of gradients,
 * with each {@link Param} a named view (offset, length, shape) into both.
 *
 * <p>Keeping every parameter in one array is what lets an optimizer step run as a single pass over a
 * few contiguous arrays, and what makes an all-reduce of the gradients one array. Build a store with
 * {@link #builder()}, or wrap one parameter with {@link #of(String, float...)}.
 */
public final class ParamStore {
    private final float[] data;
    private final float[] grad;
    private final List<Param> params;

    private ParamStore(List<String> names, List<int[]> shapes) {
        int total = 0;
        for (int[] shape : shapes) {
            total = Math.addExact(total, Param.sizeOf(shape));
        }
        this.data = new float[total];
        this.grad = new float[total];
        List<Param> list = new ArrayList<>(names.size());
        int offset = 0;
        for (int i = 0; i < names.size(); i++) {
            Param p = new Param(this, list.size(), names.get(i), offset, shapes.get(i));
            list.add(p);
            offset += p.size();
        }
        this.params = Collections.unmodifiableList(list);
    }

    /** A builder that lays out named parameters one after another. */
    public static Builder builder() {
        return new Builder();
    }

    /** A store holding one parameter with the given initial values, shaped as a vector. */
    public static ParamStore of(String name, float... values) {
        ParamStore store = builder().add(name, values.length).build();
        store.param(0).set(values);
        return store;
    }

    /** Every parameter of this store, in layout order. */
    public List<Param> params() {
        return params;
    }

    /** The parameter at {@code index} in layout order. */
    public Param param(int index) {
        return params.get(index);
    }

    /** The parameter with the given name. */
    public Param param(String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        List<String> names = new ArrayList<>();
        for (Param p : params) {
            names.add(p.name());
        }
        throw new IllegalArgumentException("no parameter named '" + name + "'; this store holds " + names);
    }

    /** The flat value array every parameter is a view into (not a copy). */
    public float[] data() {
        return data;
    }

    /** The flat gradient array, laid out like {@link #data()} (not a copy). */
    public float[] grad() {
        return grad;
    }

    /** The number of floats in the store. */
    public int size() {
        return data.length;
    }

    /** Declares that every parameter's gradient now holds a value, after writing {@link #grad()} directly. */
    public void markGradsDefined() {
        for (Param p : params) {
            p.markGradDefined();
        }
    }

    /** Lays out parameters one after another in a new store. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<int[]> shapes = new ArrayList<>();

        private Builder() {
        }

        /** Adds a parameter of the given shape; its values start at zero. */
        public Builder add(String name, int... shape) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a parameter needs a non-empty name");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("a parameter named '" + name + "' is already in this store");
            }
            Param.sizeOf(shape);
            names.add(name);
            shapes.add(shape.clone());
            return this;
        }

        /** Allocates the flat arrays and the views. */
        public ParamStore build() {
            return new ParamStore(names, shapes);
        }
    }
}
