package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code apply_if_finite(max_consecutive_errors)}: skips the whole step while the update entering the chain (the
 * gradients) holds NaN or an infinity, unless that has happened more than {@code max_consecutive_errors} times
 * in a row, and then lets it through, so that a run which keeps failing shows it.
 *
 * <pre>
 *   n ← 0 if every u is finite, else n + 1       (n = notfinite_count, over every parameter taking the step)
 *   step if every u is finite or n &gt; max_consecutive_errors; else skip: no θ, no state, no step count changes
 * </pre>
 * Optax's {@code apply_if_finite(inner, max_consecutive_errors)}, which checks the updates entering its inner
 * transformation; here the inner transformation is the rest of the chain, so it must come first (a transform
 * before it would already have changed its state). The chain keeps {@code notfinite_count} and
 * {@code total_notfinite} and saves them with group 0; the limit is read from group 0. Without a limit,
 * {@link dev.descent.optim.NonFinitePolicy#SKIP} does the same for any optimizer. Positional argument:
 * {@code max_consecutive_errors}, an integer &gt;= 0, required.
 */
final class ApplyIfFinite extends Transform {
    ApplyIfFinite() {
        super("apply_if_finite", "max_consecutive_errors",
                List.of(Hyperparameter.requiredInteger("max_consecutive_errors", 0)), null);
    }

    @Override
    protected Loop update(ParamStep step) {
        return (from, to) -> { };
    }
}
