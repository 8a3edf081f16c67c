package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Inverted dropout as a layer: in training mode each element is zeroed with probability {@code p} and
 * the rest scaled by {@code 1 / (1 - p)}; in evaluation mode it passes its input through. Its masks come
 * from a generator the {@link Model} seeds, so a run is repeatable from the model's seed.
 */
public final class Dropout extends Module {
    private final float p;
    private SplittableRandom rng = new SplittableRandom(0);

    /**
     * A dropout layer with drop probability {@code p}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout p=" + p + " must be in [0, 1]");
        }
        this.p = (float) p;
    }

    /** The drop probability. */
    public float p() {
        return p;
    }

    @Override
    protected void seed(SplittableRandom rng) {
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        if (!isTraining() || p == 0f) {
            return x;
        }
        return Activations.dropout(tape, x, p, rng);
    }

    @Override
    public String describe() {
        return "Dropout(" + p + ")";
    }
}
