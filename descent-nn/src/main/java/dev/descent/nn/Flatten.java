package dev.descent.nn;

import dev.descent.tensor.Ops;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/** Flattens every dimension after the first (the batch), as PyTorch's {@code nn.Flatten()}. */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        if (x.rank() < 1) {
            throw shapeError(x, "has no batch dimension");
        }
        if (x.rank() == 2) {
            return x;
        }
        return Ops.reshape(tape, x, x.dim(0), x.dim(0) == 0 ? 0 : x.size() / x.dim(0));
    }
}
