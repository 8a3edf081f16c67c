package dev.descent.optim.schedule;

import java.util.List;

/**
 * A piecewise-constant learning rate, as Keras's {@code PiecewiseConstantDecay}: {@code values[0]} up to
 * step {@code boundaries[0]}, {@code values[1]} up to {@code boundaries[1]}, ..., and the last value after
 * the last boundary.
 *
 * <pre>
 *   η_k = values[i]   where i is the number of boundaries b with k > b
 * </pre>
 * As in Keras, the values are learning rates, not factors: the group's own learning rate is ignored, and
 * the step k is the number of optimizer steps already taken ({@code optimizer.iterations}), which is the
 * scheduler's step count. A boundary step still uses the value before it ({@code k <= boundaries[0]}).
 *
 * @param boundaries {@code boundaries}, strictly increasing step counts
 * @param values     {@code values}, one more than the boundaries
 */
public record PiecewiseConstantDecay(List<Long> boundaries, List<Double> values) implements ClosedFormSchedule {
    /** Checks Keras's rule (one more value than boundaries), increasing boundaries and finite values. */
    public PiecewiseConstantDecay {
        boundaries = List.copyOf(boundaries);
        values = List.copyOf(values);
        if (values.size() != boundaries.size() + 1) {
            throw Rules.invalid("piecewiseconstantdecay", "values", values, "must hold one more value than boundaries "
                    + "holds (" + boundaries.size() + "); Keras: \"The length of boundaries should be 1 less than the length of values\"");
        }
        for (int i = 1; i < boundaries.size(); i++) {
            if (boundaries.get(i) <= boundaries.get(i - 1)) {
                throw Rules.invalid("piecewiseconstantdecay", "boundaries", boundaries, "must be strictly increasing");
            }
        }
        for (double v : values) {
            Rules.finite("piecewiseconstantdecay", "values", v);
        }
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        int i = 0;
        while (i < boundaries.size() && step > boundaries.get(i)) {
            i++;
        }
        return values.get(i);
    }

    @Override
    public String toString() {
        return Rules.spec("piecewiseconstantdecay", "boundaries", boundaries, "values", values);
    }
}
