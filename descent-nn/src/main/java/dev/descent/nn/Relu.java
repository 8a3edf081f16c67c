package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/** The rectified linear unit {@code max(x, 0)} as a layer. */
public final class Relu extends Module {
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Activations.relu(tape, x);
    }

    @Override
    public String describe() {
        return "ReLU";
    }
}
