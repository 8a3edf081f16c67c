package dev.descent.train;

/**
 * Callbacks of a {@link Trainer}, called on the training thread; progress displays and tests listen. A
 * callback that throws ends the run where it stands, leaving the last checkpoint as it was, as an
 * interruption would.
 */
public interface TrainListener {
    /**
     * After each optimizer step. Keep it cheap: it runs inside the timed pass.
     *
     * @param progress where the epoch stands
     */
    default void onBatchEnd(BatchProgress progress) {
    }

    /** After each epoch's evaluation and checkpoint. */
    default void onEpochEnd(EpochResult result) {
    }

    /**
     * Where an epoch stands after a batch.
     *
     * @param epoch     the epoch, counted from 1
     * @param batch     the batch just done, counted from 1
     * @param batches   the number of batches in the epoch
     * @param samples   the training examples seen so far this epoch
     * @param loss      the mean loss over those examples
     * @param accuracy  the fraction of them classified right (NaN for regression)
     * @param seconds   the time spent in this epoch's training pass so far
     */
    record BatchProgress(int epoch, int batch, int batches, long samples, double loss, double accuracy, double seconds) {
    }
}
