package dev.descent.optim;

import java.util.Arrays;

/**
 * One parameter tensor: a named, shaped view of {@code size()} floats starting at {@code offset()} in
 * its {@link ParamStore}'s value and gradient arrays.
 *
 * <p>A parameter whose gradient was never written is skipped by optimizers, as PyTorch skips a
 * parameter whose {@code .grad} is {@code None}. Writing through {@link #setGrad(float...)} marks the
 * gradient defined; code that writes {@link ParamStore#grad()} directly calls {@link #markGradDefined()}.
 */
public final class Param {
    private final ParamStore store;
    private final int index;
    private final String name;
    private final int offset;
    private final int size;
    private final int[] shape;
    private boolean gradDefined;

    Param(ParamStore store, int index, String name, int offset, int[] shape) {
        this.store = store;
        this.index = index;
        this.name = name;
        this.offset = offset;
        this.shape = shape.clone();
        this.size = sizeOf(shape);
    }

    static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The store this parameter is a view into. */
    public ParamStore store() {
        return store;
    }

    /** The position of this parameter in its store's layout order. */
    public int index() {
        return index;
    }

    /** The parameter's name, unique within its store. */
    public String name() {
        return name;
    }

    /** The offset of the first element in the store's arrays. */
    public int offset() {
        return offset;
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the values. */
    public float[] values() {
        return Arrays.copyOfRange(store.data(), offset, offset + size);
    }

    /** Overwrites the values. */
    public void set(float... values) {
        checkLength("values", values.length);
        System.arraycopy(values, 0, store.data(), offset, size);
    }

    /** A copy of the gradient. */
    public float[] grad() {
        return Arrays.copyOfRange(store.grad(), offset, offset + size);
    }

    /** Overwrites the gradient and marks it defined. */
    public void setGrad(float... gradient) {
        checkLength("gradient values", gradient.length);
        System.arraycopy(gradient, 0, store.grad(), offset, size);
        gradDefined = true;
    }

    /** Whether a gradient has been written since the parameter was made or its gradient was cleared. */
    public boolean hasGrad() {
        return gradDefined;
    }

    /** Declares the gradient defined after it was written through {@link ParamStore#grad()}. */
    public void markGradDefined() {
        gradDefined = true;
    }

    /** Zeroes the gradient; with {@code undefine} it also becomes undefined, as PyTorch's {@code set_to_none}. */
    public void zeroGrad(boolean undefine) {
        Arrays.fill(store.grad(), offset, offset + size, 0f);
        if (undefine) {
            gradDefined = false;
        }
    }

    private void checkLength(String what, int length) {
        if (length != size) {
            throw new IllegalArgumentException("parameter '" + name + "' of shape " + Arrays.toString(shape)
                    + " holds " + size + " elements but " + length + " " + what + " were given");
        }
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
