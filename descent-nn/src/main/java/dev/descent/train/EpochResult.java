package dev.descent.train;

/**
 * One epoch of a run, a row of {@code history.csv}.
 *
 * @param epoch     the epoch, counted from 1
 * @param trainLoss the mean training loss over the epoch's examples, as the model stood at each batch
 * @param trainAcc  the fraction of training examples classified right during the pass (dropout on), NaN
 *                  for regression
 * @param testLoss  the mean loss on the test set after the epoch, in evaluation mode
 * @param testAcc   the fraction of test examples classified right, NaN for regression
 * @param lr        the learning rate the epoch's last optimizer step used (the first group's)
 * @param seconds   the wall time of the training pass: batch gathering, forward, backward and steps, no evaluation
 */
public record EpochResult(int epoch, double trainLoss, double trainAcc, double testLoss, double testAcc, double lr,
        double seconds) {
}
