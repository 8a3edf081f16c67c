package dev.descent.nn;

import dev.descent.tensor.Tensor;

/** Classification metrics computed from logits (or probabilities) and integer labels. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The number of rows of {@code scores [batch, classes]} whose largest score (the first on a tie) is at
     * the label; with one column, a score above 0 predicts class 1 (a logit for binary classification).
     *
     * @param labels one label per row, from {@code labels[offset]}
     */
    public static int correct(Tensor scores, int[] labels, int offset) {
        if (scores.rank() != 2) {
            throw new IllegalArgumentException("accuracy needs scores [batch, classes], got shape "
                    + java.util.Arrays.toString(scores.shape()));
        }
        int rows = scores.dim(0);
        int c = scores.dim(1);
        if (offset < 0 || offset + (long) rows > labels.length) {
            throw new IllegalArgumentException("accuracy: " + rows + " rows need labels from offset " + offset
                    + " but there are " + labels.length);
        }
        float[] x = scores.data();
        int n = 0;
        for (int r = 0; r < rows; r++) {
            int base = scores.offset() + r * c;
            int best;
            if (c == 1) {
                best = x[base] > 0f ? 1 : 0;
            } else {
                best = 0;
                for (int j = 1; j < c; j++) {
                    if (x[base + j] > x[base + best]) {
                        best = j;
                    }
                }
            }
            if (best == labels[offset + r]) {
                n++;
            }
        }
        return n;
    }

    /** The fraction of rows predicted right, in [0, 1]; see {@link #correct}. */
    public static double accuracy(Tensor scores, int[] labels) {
        int rows = scores.rank() == 2 ? scores.dim(0) : 0;
        return rows == 0 ? 0.0 : correct(scores, labels, 0) / (double) rows;
    }
}
