package dev.descent.tensor;

import dev.descent.optim.Param;

import java.util.Arrays;

/**
 * A dense row-major float32 tensor: a shape and a view of {@code size()} floats starting at
 * {@code offset()} in a {@code float[]}, with an optional gradient of the same layout.
 *
 * <p>Three kinds exist. A <em>constant</em> ({@link #of}, {@link #view}) holds data such as a batch of
 * inputs and takes no gradient. A <em>leaf variable</em> ({@link #variable}, {@link #param}) takes a
 * gradient: a parameter's values and gradient are views into its {@link dev.descent.optim.ParamStore}'s
 * flat arrays, so the optimizer updates exactly what the layers read. An <em>op result</em> is made by an
 * op on a {@link Tape}; its arrays belong to that tape and are recycled by {@link Tape#reset()}, after
 * which reading it throws {@link IllegalStateException}.
 *
 * <p>Tensors never copy what they are given: {@code of(data, shape)} wraps {@code data}.
 */
public final class Tensor {
    private static final int[] SCALAR = new int[0];

    final float[] data;
    final int offset;
    final int[] shape;
    final int size;
    final boolean requiresGrad;
    /** The gradient array, allocated on demand for op results and leaf variables; fixed for parameters. */
    float[] grad;
    int gradOffset;
    /** The parameter this tensor is a view of, or null. */
    final Param param;
    /** The tape whose buffers hold this tensor's data, or null for constants and leaves. */
    final Tape owner;
    /** The owner's generation when this tensor was made; the data is stale once the owner was reset. */
    final int generation;

    Tensor(float[] data, int offset, int[] shape, boolean requiresGrad, Param param, Tape owner) {
        this.size = sizeOf(shape);
        if (offset < 0 || offset + (long) size > data.length) {
            throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " at offset "
                    + offset + " needs " + ((long) offset + size) + " floats, the array has " + data.length);
        }
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.requiresGrad = requiresGrad;
        this.param = param;
        this.owner = owner;
        this.generation = owner == null ? 0 : owner.generation();
    }

    /** Fails when this tensor's tape was reset since it was made, so that its buffers hold other data now. */
    private void checkLive() {
        if (owner != null && owner.generation() != generation) {
            throw new IllegalStateException(this + " was made on a tape that has been reset since; its buffer "
                    + "now holds other data (read results such as loss.item() before tape.reset())");
        }
    }

    /** A constant wrapping {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, 0, checkShape(shape, data.length), false, null, null);
    }

    /** A constant view of the floats of {@code data} from {@code offset}, such as one batch of a data set. */
    public static Tensor view(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, checkShape(shape, -1), false, null, null);
    }

    /** A constant of zeros. */
    public static Tensor zeros(int... shape) {
        return new Tensor(new float[sizeOf(checkShape(shape, -1))], 0, shape.clone(), false, null, null);
    }

    /** A constant scalar (shape {@code []}). */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, 0, SCALAR, false, null, null);
    }

    /** A leaf that takes a gradient, wrapping {@code data} (not copied); its gradient starts at zero. */
    public static Tensor variable(float[] data, int... shape) {
        Tensor t = new Tensor(data, 0, checkShape(shape, data.length), true, null, null);
        t.grad = new float[t.size];
        return t;
    }

    /** A view of a parameter: values in its store's data array, gradient in its store's gradient array. */
    public static Tensor param(Param p) {
        Tensor t = new Tensor(p.store().data(), p.offset(), p.shape(), true, p, null);
        t.grad = p.store().grad();
        t.gradOffset = p.offset();
        return t;
    }

    static int[] checkShape(int[] shape, int expectedSize) {
        int[] s = shape.clone();
        long n = 1;
        for (int d : s) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(s) + " has a negative dimension");
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(s) + " has more than 2^31-1 elements");
            }
        }
        if (expectedSize >= 0 && n != expectedSize) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + n
                    + " elements but the array has " + expectedSize);
        }
        return s;
    }

    static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** The size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** The array holding the values (not a copy); element {@code i} is at {@code offset() + i}. */
    public float[] data() {
        checkLive();
        return data;
    }

    /** The offset of the first element in {@link #data()}. */
    public int offset() {
        return offset;
    }

    /** Element {@code i} in row-major order. */
    public float get(int i) {
        java.util.Objects.checkIndex(i, size);
        checkLive();
        return data[offset + i];
    }

    /** The value of a one-element tensor, such as a loss. */
    public float item() {
        if (size != 1) {
            throw new IllegalArgumentException("item() needs a one-element tensor, this one has shape "
                    + Arrays.toString(shape));
        }
        checkLive();
        return data[offset];
    }

    /** A copy of the values. */
    public float[] toArray() {
        checkLive();
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** Whether a gradient flows into this tensor in backward. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The parameter this tensor is a view of, or null. */
    public Param param() {
        return param;
    }

    /** Whether a gradient array exists (after backward reached this tensor, or always for leaves). */
    public boolean hasGrad() {
        return grad != null;
    }

    /**
     * The gradient array (not a copy), or null before backward reaches an op result; element {@code i}'s
     * gradient is at {@link #gradOffset()}{@code + i}. For writing ops; {@link #gradToArray()} reads a copy.
     */
    public float[] gradArray() {
        checkLive();
        return grad;
    }

    /** The offset of the first element's gradient in {@link #gradArray()}. */
    public int gradOffset() {
        return gradOffset;
    }

    /** A copy of the gradient, zeros when backward has not reached this tensor. */
    public float[] gradToArray() {
        checkLive();
        return grad == null ? new float[size] : Arrays.copyOfRange(grad, gradOffset, gradOffset + size);
    }

    /** Zeroes the gradient of a leaf variable or parameter. */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, gradOffset, gradOffset + size, 0f);
        }
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (param != null ? " '" + param.name() + "'" : "")
                + (requiresGrad ? " (grad)" : "");
    }
}
