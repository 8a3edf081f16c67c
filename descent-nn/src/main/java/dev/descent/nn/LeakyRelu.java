package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/** The leaky rectified linear unit, {@code x} where positive and {@code slope * x} elsewhere, as a layer. */
public final class LeakyRelu extends Module {
    private final float slope;

    /** With PyTorch's default slope 0.01. */
    public LeakyRelu() {
        this(0.01f);
    }

    /** With the given negative slope. */
    public LeakyRelu(float slope) {
        if (!Float.isFinite(slope)) {
            throw new IllegalArgumentException("LeakyReLU negative_slope=" + slope + " must be finite");
        }
        this.slope = slope;
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Activations.leakyRelu(tape, x, slope);
    }

    @Override
    public String describe() {
        return "LeakyReLU(" + slope + ")";
    }
}
