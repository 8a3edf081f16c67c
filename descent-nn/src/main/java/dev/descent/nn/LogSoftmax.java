package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/**
 * Log-softmax over the last dimension as a layer, to pair with {@link Losses#nll}; the pair equals
 * {@link Losses#crossEntropy} on the logits, which is one pass cheaper.
 */
public final class LogSoftmax extends Module {
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Activations.logSoftmax(tape, x);
    }
}
