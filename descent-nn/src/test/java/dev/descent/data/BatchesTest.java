package dev.descent.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchesTest {
    /** n examples of 3 features (i, i + 0.5, -i), label i % 4. */
    static Dataset data(int n) {
        float[] x = new float[3 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = i + 0.5f;
            x[3 * i + 2] = -i;
            y[i] = i % 4;
        }
        return Dataset.classification("d", new int[] {3}, x, y, 4);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 10, 11, 64})
    void everyExampleOnceAndOnlyTheLastBatchShort(int batchSize) {
        Batches batches = Batches.shuffled(data(10), batchSize, 3);
        int expectedBatches = (10 + batchSize - 1) / batchSize;
        assertEquals(expectedBatches, batches.batchesPerEpoch());
        List<Integer> seen = new ArrayList<>();
        int count = 0;
        for (Batch b : batches.epoch(0)) {
            count++;
            int expectedSize = count < expectedBatches ? batchSize : 10 - batchSize * (expectedBatches - 1);
            assertEquals(expectedSize, b.size(), "batch " + count);
            assertEquals(3 * b.size(), b.features().length);
            assertNull(b.targets());
            for (int k = 0; k < b.size(); k++) {
                int i = b.indices()[k];
                seen.add(i);
                assertArrayEquals(new float[] {i, i + 0.5f, -i}, Arrays.copyOfRange(b.features(), 3 * k, 3 * k + 3));
                assertEquals(i % 4, b.labels()[k]);
            }
        }
        assertEquals(expectedBatches, count);
        seen.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
    }

    @Test
    void stochasticFullAndMiniBatchSizes() {
        Dataset d = data(10);
        assertEquals(10, Batches.shuffled(d, 1, 0).batchesPerEpoch());
        assertEquals(1, Batches.shuffled(d, 10, 0).batchesPerEpoch());
        int[][] mini = Batches.inOrder(d, 4).indexBatches(0);
        assertArrayEquals(new int[][] {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}, mini);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Batches.shuffled(d, 0, 0));
        assertTrue(e.getMessage().startsWith("batch size 0: must be 1 or more"), e.getMessage());
    }

    @Test
    void ordersDependOnSeedAndEpochAlone() {
        Dataset d = data(50);
        Batches a = Batches.shuffled(d, 8, 42);
        Batches b = Batches.shuffled(d, 5, 42);
        assertArrayEquals(a.order(3), b.order(3), "same seed and epoch, same order, whatever the batch size");
        assertArrayEquals(a.order(3), a.order(3));
        assertFalse(Arrays.equals(a.order(0), a.order(1)), "a new order every epoch");
        assertFalse(Arrays.equals(a.order(0), Batches.shuffled(d, 8, 43).order(0)), "another seed, another order");
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, Batches.inOrder(d, 8).order(5));
        assertFalse(Arrays.equals(identity, a.order(0)));
    }

    @Test
    void regressionBatchesCarryTargets() {
        Dataset d = Dataset.regression("r", new int[] {1}, new float[] {1, 2, 3}, new float[] {10, 20, 30});
        Batch b = Batches.inOrder(d, 2).epoch(0).iterator().next();
        assertArrayEquals(new float[] {10, 20}, b.targets());
        assertNull(b.labels());
    }

    @Test
    void permutationsAreUniform() {
        // Where element 0 lands over 6000 seeds of a 6-shuffle: each position 1000 times, give or take.
        int[] counts = new int[6];
        for (int seed = 0; seed < 6000; seed++) {
            int[] p = Shuffle.permutation(6, seed);
            for (int k = 0; k < 6; k++) {
                if (p[k] == 0) {
                    counts[k]++;
                }
            }
        }
        for (int k = 0; k < 6; k++) {
            assertTrue(Math.abs(counts[k] - 1000) < 150, "position " + k + ": " + counts[k] + " of 6000");
        }
    }

    @Test
    void epochSeedsDoNotCollideForNeighbours() {
        assertFalse(Shuffle.epochSeed(0, 1) == Shuffle.epochSeed(1, 0));
        assertEquals(Shuffle.epochSeed(5, 2), Shuffle.epochSeed(5, 2));
    }
}
