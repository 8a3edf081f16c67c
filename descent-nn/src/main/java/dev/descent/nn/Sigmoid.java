package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/** The logistic function {@code 1 / (1 + exp(-x))} as a layer. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Activations.sigmoid(tape, x);
    }
}
