package dev.descent.lab.tune;

import java.util.List;

/** Decides whether a trial that reported a score at an epoch should stop, from the scores other trials reported at that epoch. */
public interface Pruner {
    /** Never prunes. */
    Pruner NONE = new Pruner() {
        @Override
        public boolean decidesAt(int epoch) {
            return false;
        }

        @Override
        public boolean shouldPrune(int epoch, double score, List<Double> earlier) {
            return false;
        }

        @Override
        public String toString() {
            return "none";
        }
    };

    /** Whether the pruner makes a decision at {@code epoch} (a rung); the study waits for earlier trials only there. */
    boolean decidesAt(int epoch);

    /**
     * Whether the trial stops.
     *
     * @param epoch   the epoch it reported, one where {@link #decidesAt(int)} holds
     * @param score   its score there, lower is better
     * @param earlier the scores that the trials before it reported at the same epoch
     * @return true to stop it
     */
    boolean shouldPrune(int epoch, double score, List<Double> earlier);
}
