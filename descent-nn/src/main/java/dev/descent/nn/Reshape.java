package dev.descent.nn;

import dev.descent.tensor.Ops;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.Arrays;

/** Gives each sample of a batch a new shape, such as {@code [784]} to {@code [1, 28, 28]}; the batch dimension stays. */
public final class Reshape extends Module {
    private final int[] sampleShape;

    /** Reshapes each sample to {@code sampleShape}. */
    public Reshape(int... sampleShape) {
        this.sampleShape = sampleShape.clone();
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        int n = 1;
        for (int d : sampleShape) {
            n *= d;
        }
        if (x.rank() < 1 || x.dim(0) * (long) n != x.size()) {
            throw shapeError(x, "cannot be reshaped to [batch, " + Arrays.toString(sampleShape).substring(1));
        }
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = x.dim(0);
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return Ops.reshape(tape, x, shape);
    }

    @Override
    public String describe() {
        return "Reshape(" + Arrays.toString(sampleShape) + ")";
    }
}
