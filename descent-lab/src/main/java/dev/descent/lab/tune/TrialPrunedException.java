package dev.descent.lab.tune;

/** Thrown by {@link Trial#report(int, double)} when the pruner stops the trial; the study records it as pruned. */
public final class TrialPrunedException extends RuntimeException {
    /** @param message which epoch and score the trial was stopped at */
    public TrialPrunedException(String message) {
        super(message, null, false, false);
    }
}
