package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/**
 * Softmax over the last dimension as a layer. To train a classifier, give the logits before it to
 * {@link Losses#crossEntropy}, which is faster and more stable than a softmax followed by a log.
 */
public final class Softmax extends Module {
    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Activations.softmax(tape, x);
    }
}
