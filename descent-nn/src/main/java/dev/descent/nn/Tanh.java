package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/** The hyperbolic tangent as a layer. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Activations.tanh(tape, x);
    }
}
