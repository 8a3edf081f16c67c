package dev.descent.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Cuts a data set into batches of a chosen size, epoch after epoch: the batch size decides the variant of
 * gradient descent (1 is stochastic gradient descent, the whole set is batch gradient descent, anything
 * between is mini-batch), and the last batch of an epoch keeps whatever examples remain (PyTorch's
 * {@code DataLoader} with {@code drop_last=False}).
 *
 * <p>With shuffling, epoch {@code e} visits the examples in the order {@link Shuffle#permutation(int, long)}
 * draws from {@link Shuffle#epochSeed(long, int) epochSeed(seed, e)}, so the order of any epoch depends on
 * the seed and the epoch number alone (a resumed run sees the same orders); without it, every epoch visits
 * them in the set's order. A batch size above n gives one batch of all n examples.
 *
 * <p>{@link #epoch(int)} copies every batch into new arrays, which is simple and safe to keep; a loop that
 * wants to reuse its buffers takes {@link #indexBatches(int)} and fills them with
 * {@link Dataset#copyFeatures(int[], int, int, float[], int)} and {@link Dataset#copyLabels(int[], int, int, int[], int)}.
 */
public final class Batches {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;

    private Batches(Dataset data, int batchSize, boolean shuffle, long seed) {
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + ": must be 1 or more (1 is stochastic gradient descent, "
                    + data.size() + " the full batch of " + data.name() + ")");
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /** Batches of {@code batchSize} examples in a new seeded order every epoch. */
    public static Batches shuffled(Dataset data, int batchSize, long seed) {
        return new Batches(data, batchSize, true, seed);
    }

    /** Batches of {@code batchSize} examples in the set's own order (for evaluation). */
    public static Batches inOrder(Dataset data, int batchSize) {
        return new Batches(data, batchSize, false, 0);
    }

    /** The data set the batches come from. */
    public Dataset data() {
        return data;
    }

    /** The number of examples in every batch but possibly the last of an epoch. */
    public int batchSize() {
        return batchSize;
    }

    /** The number of batches in one epoch: {@code ceil(n / batchSize)}. */
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} (counted from 0) visits the examples. */
    public int[] order(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch " + epoch + ": must be 0 or more");
        }
        if (shuffle) {
            return Shuffle.permutation(data.size(), Shuffle.epochSeed(seed, epoch));
        }
        int[] order = new int[data.size()];
        Arrays.setAll(order, i -> i);
        return order;
    }

    /** The example indices of each batch of epoch {@code epoch}, in order. */
    public int[][] indexBatches(int epoch) {
        int[] order = order(epoch);
        int[][] batches = new int[batchesPerEpoch()][];
        for (int b = 0; b < batches.length; b++) {
            int from = b * batchSize;
            batches[b] = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        }
        return batches;
    }

    /** The batches of epoch {@code epoch} (counted from 0), each with its features and answers copied. */
    public Iterable<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has only " + batchesPerEpoch() + " batches");
                }
                int count = Math.min(batchSize, order.length - next);
                Batch batch = copy(order, next, count);
                next += count;
                return batch;
            }
        };
    }

    private Batch copy(int[] order, int from, int count) {
        int[] indices = Arrays.copyOfRange(order, from, from + count);
        float[] features = new float[count * data.featureCount()];
        data.copyFeatures(indices, 0, count, features, 0);
        if (data.isClassification()) {
            int[] labels = new int[count];
            data.copyLabels(indices, 0, count, labels, 0);
            return new Batch(indices, features, labels, null);
        }
        float[] targets = new float[count];
        data.copyTargets(indices, 0, count, targets, 0);
        return new Batch(indices, features, null, targets);
    }

    @Override
    public String toString() {
        return "batches of " + batchSize + " from " + data.name() + (shuffle ? ", shuffled with seed " + seed : ", in order");
    }
}
