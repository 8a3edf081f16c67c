package dev.descent.data;

/**
 * One batch of examples, copied out of a {@link Dataset}: the examples' indices in the set, their features
 * (size x d, row-major) and their labels (classification) or targets (regression); the other is null.
 *
 * @param indices  the indices of the examples in the data set, in batch order
 * @param features the features, {@code indices.length * d} values
 * @param labels   the class labels, or null for a regression set
 * @param targets  the regression targets, or null for a classification set
 */
public record Batch(int[] indices, float[] features, int[] labels, float[] targets) {
    /** The number of examples in the batch. */
    public int size() {
        return indices.length;
    }
}
