package dev.descent.optim.schedule;

import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * Sets the learning rate to the base value times a Java function of the step count, as PyTorch's
 * {@code LambdaLR}; in the Java API only, since a spec cannot hold a function.
 *
 * <pre>
 *   η_k = η_0 · λ(k)
 * </pre>
 * The functions must be pure (their value depends on k alone): the scheduler saves only the step count.
 *
 * @param lrLambda {@code lr_lambda}: one function for every group, or one per group
 */
public record LambdaLr(List<LongToDoubleFunction> lrLambda) implements ClosedFormSchedule {
    /** Checks there is at least one function. */
    public LambdaLr {
        lrLambda = List.copyOf(lrLambda);
        if (lrLambda.isEmpty()) {
            throw new IllegalArgumentException("lambdalr: lr_lambda needs one function, or one per group");
        }
    }

    /** The same function for every group. */
    public LambdaLr(LongToDoubleFunction lrLambda) {
        this(List.of(lrLambda));
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        return group.lr() * lrLambda.get(lrLambda.size() == 1 ? 0 : group.index()).applyAsDouble(step);
    }

    @Override
    public void check(List<GroupBase> groups) {
        if (lrLambda.size() != 1 && lrLambda.size() != groups.size()) {
            throw new IllegalArgumentException("lambdalr: Expected " + groups.size() + " lr_lambdas, but got "
                    + lrLambda.size() + "; give one function, or one per parameter group");
        }
    }

    @Override
    public String toString() {
        return "lambdalr(" + lrLambda.size() + (lrLambda.size() == 1 ? " java function)" : " java functions)");
    }
}
