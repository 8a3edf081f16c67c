package dev.descent.train;

import java.util.List;

/**
 * How a training run ended: what {@code summary.json} records.
 *
 * @param status             {@code ok}, or {@code failed} when a loss was not finite
 * @param reason             why it failed (naming the epoch and batch), or null
 * @param history            one row per completed epoch
 * @param finalTestLoss      the test loss of the weights the run ends with (the best epoch's when early
 *                           stopping restored them), NaN when no epoch completed
 * @param finalTestAccuracy  their test accuracy, NaN for regression or when no epoch completed
 * @param bestEpoch          the epoch of the lowest test loss, 0 when none completed
 * @param stoppedEarly       whether early stopping ended the run before its last epoch
 * @param medianEpochSeconds the median of the epochs' training-pass seconds
 * @param samplesPerSecond   training examples per second at the median epoch time
 */
public record TrainResult(String status, String reason, List<EpochResult> history, double finalTestLoss,
        double finalTestAccuracy, int bestEpoch, boolean stoppedEarly, double medianEpochSeconds, double samplesPerSecond) {
    /** Whether the run completed without a failure. */
    public boolean ok() {
        return "ok".equals(status);
    }
}
