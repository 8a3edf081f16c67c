package dev.descent.optim.schedule;

import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * Multiplies the learning rate by a Java function of the step count at every step, as PyTorch's
 * {@code MultiplicativeLR}; in the Java API only, since a spec cannot hold a function.
 *
 * <pre>
 *   η_0 = base lr,   η_k = η_(k-1) · f(k)
 * </pre>
 * The value depends on the product of all past factors, so the scheduler saves the current learning rate
 * ({@code lr}) with the step count instead of calling the function again for every past step: a resumed run
 * continues from exactly the saved value, whatever the function does. In a {@link SequentialLr} it continues
 * from the lr the previous schedule left, as in PyTorch (it has no closed form to restart from).
 *
 * @param lrLambda {@code lr_lambda}: one function for every group, or one per group
 */
public record MultiplicativeLr(List<LongToDoubleFunction> lrLambda) implements Chainable {
    /** Checks there is at least one function. */
    public MultiplicativeLr {
        lrLambda = List.copyOf(lrLambda);
        if (lrLambda.isEmpty()) {
            throw new IllegalArgumentException("multiplicativelr: lr_lambda needs one function, or one per group");
        }
    }

    /** The same function for every group. */
    public MultiplicativeLr(LongToDoubleFunction lrLambda) {
        this(List.of(lrLambda));
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        return step > 0 ? lr * lrLambda.get(lrLambda.size() == 1 ? 0 : group.index()).applyAsDouble(step) : lr;
    }

    @Override
    public boolean replayable() {
        return false;
    }

    @Override
    public void check(List<GroupBase> groups) {
        if (lrLambda.size() != 1 && lrLambda.size() != groups.size()) {
            throw new IllegalArgumentException("multiplicativelr: Expected " + groups.size() + " lr_lambdas, but got "
                    + lrLambda.size() + "; give one function, or one per parameter group");
        }
    }

    @Override
    public String toString() {
        return "multiplicativelr(" + lrLambda.size() + (lrLambda.size() == 1 ? " java function)" : " java functions)");
    }
}
