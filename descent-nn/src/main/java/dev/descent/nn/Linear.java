package dev.descent.nn;

import dev.descent.tensor.Ops;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/**
 * A fully connected layer {@code y = x W^T + b}, with the weight stored {@code out x in} as in PyTorch,
 * Glorot-uniform weights and zero bias by default.
 *
 * <p>The input is {@code [batch, in]}, or any shape ending in {@code in}, whose leading dimensions are
 * kept.
 */
public final class Linear extends Module {
    private final int in;
    private final int out;
    private final ParamRef weight;
    private final ParamRef bias;

    /** A layer from {@code in} to {@code out} features with a bias and Glorot-uniform weights. */
    public Linear(int in, int out) {
        this(in, out, true, Init.glorotUniform());
    }

    /**
     * A layer from {@code in} to {@code out} features.
     *
     * @param bias whether to add a bias, zero-initialized unless {@code weightInit} is
     *             {@link Init#torchDefault()}, which draws it as PyTorch does
     * @param weightInit how to initialize the weight
     */
    public Linear(int in, int out, boolean bias, Init weightInit) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weight = param("weight", weightInit, out, in);
        this.bias = bias ? param("bias", Init.biasFor(weightInit, in), out) : null;
    }

    /** The number of input features. */
    public int in() {
        return in;
    }

    /** The number of output features. */
    public int out() {
        return out;
    }

    /** The weight, {@code out x in}. */
    public ParamRef weight() {
        return weight;
    }

    /** The bias, or null. */
    public ParamRef bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        if (x.rank() < 1 || x.dim(-1) != in) {
            throw shapeError(x, "does not match weight [" + out + ", " + in + "] (expected [batch, " + in + "])");
        }
        Tensor w = weight.tensor();
        Tensor b = bias == null ? null : bias.tensor();
        if (x.rank() == 2) {
            return Ops.linear(tape, x, w, b);
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        return Ops.reshape(tape, Ops.linear(tape, Ops.reshape(tape, x, -1, in), w, b), shape);
    }

    @Override
    public String describe() {
        return "Linear(" + in + " -> " + out + (bias == null ? ", no bias" : "") + ")";
    }
}
