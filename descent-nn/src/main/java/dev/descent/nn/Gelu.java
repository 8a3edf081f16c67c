package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/** The Gaussian error linear unit {@code x * Phi(x)} as a layer, exact or with PyTorch's tanh approximation. */
public final class Gelu extends Module {
    private final boolean tanh;

    /** The exact GELU, PyTorch's default. */
    public Gelu() {
        this(false);
    }

    /** The exact GELU, or the tanh approximation ({@code approximate='tanh'}) when {@code tanh}. */
    public Gelu(boolean tanh) {
        this.tanh = tanh;
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Activations.gelu(tape, x, tanh);
    }

    @Override
    public String describe() {
        return tanh ? "GELU(tanh)" : "GELU";
    }
}
