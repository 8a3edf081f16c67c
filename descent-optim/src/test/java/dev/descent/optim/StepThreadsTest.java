package dev.descent.optim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A step (or a norm sum) split across threads gives the same bits as the same step on one thread. */
class StepThreadsTest {
    private final int saved = StepThreads.threshold;
    private final int savedChunk = StepThreads.chunk;
    private final int savedDivisor = StepThreads.chunkDivisor;

    @AfterEach
    void restore() {
        StepThreads.threshold = saved;
        StepThreads.chunk = savedChunk;
        StepThreads.chunkDivisor = savedDivisor;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr=0.1, momentum=0.9, nesterov=true)", "adagrad(lr_decay=0.1)",
            "rmsprop(centered=true, momentum=0.5)", "adadelta(weight_decay=0.1)", "adam(amsgrad=true)", "nadam()",
            "lion(weight_decay=0.1)", "yogi()", "adabelief(weight_decay=0.1)", "lamb(weight_decay=0.1)",
            "lars(momentum=0.9, weight_decay=0.1)"})
    void splitStepIsBitIdentical(String spec) {
        float[] single = run(spec, Integer.MAX_VALUE);
        StepThreads.chunk = 7; // chunks that start and end inside parameters and span several
        StepThreads.chunkDivisor = Integer.MAX_VALUE;
        float[] split = run(spec, 1);
        assertArrayEquals(single, split);
    }

    /** A large step is cut into chunks that shrink as it ends, none under chunk elements but the last. */
    @Test
    void chunksShrinkAsTheStepEnds() {
        StepThreads.chunk = 1 << 16;
        StepThreads.chunkDivisor = 2;
        for (long total : new long[] {1, 1 << 16, (1 << 16) + 1, 1 << 20, 10_000_000, 1_500_000, 1L << 33}) {
            long[] starts = StepThreads.chunkStarts(total);
            assertEquals(0, starts[0]);
            assertEquals(total, starts[starts.length - 1]);
            long first = starts[1] - starts[0];
            assertTrue(first >= Math.min(total, total / (2L * StepThreads.THREADS)), "total " + total + ": first chunk " + first);
            for (int c = 0; c + 1 < starts.length; c++) {
                long size = starts[c + 1] - starts[c];
                boolean last = c + 2 == starts.length;
                assertTrue(last ? size > 0 : size >= StepThreads.chunk, "total " + total + ": chunk " + c + " of " + size);
                assertEquals(0, starts[c] % 4096, "total " + total + ": chunk " + c + " starts at " + starts[c]);
                if (c > 0 && !last) {
                    assertTrue(size <= starts[c] - starts[c - 1], "total " + total + ": chunk " + c + " grew");
                }
            }
            assertTrue(starts.length - 1 <= 64, "total " + total + ": " + (starts.length - 1) + " chunks");
        }
        StepThreads.chunk = 7;
        StepThreads.chunkDivisor = Integer.MAX_VALUE;
        long[] tiny = StepThreads.chunkStarts(100);
        assertEquals(15, tiny.length - 1, "14 chunks of 7 elements, the last of 2");
        assertEquals(98, tiny[tiny.length - 2]);
    }

    /** Chunks cut across parameters, empty ones among them, give each kernel exactly its own elements once. */
    @Test
    void chunksCoverEveryParameterOnce() {
        int[] sizes = {1, 0, 17, 0, 0, 1001, 2, 0};
        List<Param> params = new ArrayList<>();
        ParamStore.Builder builder = ParamStore.builder();
        for (int k = 0; k < sizes.length; k++) {
            builder.add("p" + k, sizes[k]);
        }
        ParamStore store = builder.build();
        for (int k = 0; k < sizes.length; k++) {
            params.add(store.param("p" + k));
        }
        for (int size : new int[] {1, 3, 7, 64, 5000}) {
            StepThreads.threshold = 1;
            StepThreads.chunk = size;
            StepThreads.chunkDivisor = Integer.MAX_VALUE;
            int[] hits = new int[store.size()];
            List<Optimizer.Kernel> kernels = new ArrayList<>();
            for (Param p : params) {
                kernels.add((from, to) -> {
                    assertTrue(p.offset() <= from && from < to && to <= p.offset() + p.size(),
                            "[" + from + ", " + to + ") outside " + p.name());
                    synchronized (hits) {
                        for (int i = from; i < to; i++) {
                            hits[i]++;
                        }
                    }
                });
            }
            StepThreads.run(kernels, params);
            int[] once = new int[store.size()];
            Arrays.fill(once, 1);
            assertArrayEquals(once, hits, "chunk " + size);
        }
    }

    @Test
    void splitSumIsBitIdenticalAndChunked() {
        int n = 4 * StepThreads.SUM_CHUNK + 123;
        float[] x = new float[n];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        StepThreads.RangeSum squares = (from, to, out) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += (double) x[i] * x[i];
            }
            out[0] += sum;
            out[1] += to - from;
        };
        StepThreads.threshold = Integer.MAX_VALUE;
        double[] single = StepThreads.sum(2, 5, n, squares);
        StepThreads.threshold = 1;
        double[] split = StepThreads.sum(2, 5, n, squares);
        assertArrayEquals(single, split);
        assertEquals(n - 5, split[1]);
        double expected = 0;
        for (int from = 5; from < n; from += StepThreads.SUM_CHUNK) {
            double[] piece = new double[2];
            squares.add(from, Math.min(n, from + StepThreads.SUM_CHUNK), piece);
            expected += piece[0];
        }
        assertEquals(expected, split[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lamb(weight_decay=0.1)", "lars(momentum=0.9, weight_decay=0.1)", "adafactor(beta1=0.9)",
            "adafactor(weight_decay=0.01)", "adam"})
    void manySmallParametersUpdatedOnSeveralThreadsGiveTheSameBits(String spec) {
        // 60 parameters (matrices for Adafactor's factored path among them), each under a quarter of the threshold
        // and together above it: their updates (norms included) and kernels run on all threads (updateAndRun).
        StepThreads.threshold = Integer.MAX_VALUE;
        float[] single = run(spec, manySmall());
        StepThreads.threshold = 400;
        float[] split = run(spec, manySmall());
        assertArrayEquals(single, split);
    }

    private static ParamStore manySmall() {
        ParamStore.Builder b = ParamStore.builder();
        for (int k = 0; k < 60; k++) {
            if (k % 3 == 0) {
                b.add("m" + k, 7, 9);
            } else {
                b.add("v" + k, 40 + k);
            }
        }
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lamb(weight_decay=0.1)", "lars(momentum=0.9, weight_decay=0.1)"})
    void secondPassRightAfterTheSumIsBitIdentical(String spec) {
        // A parameter of several sum pieces: split, its second pass runs inside update (applyWhileCached).
        StepThreads.threshold = Integer.MAX_VALUE;
        float[] single = run(spec, ParamStore.builder().add("big", 3 * StepThreads.SUM_CHUNK + 77).add("small", 5).build());
        StepThreads.threshold = 1;
        float[] split = run(spec, ParamStore.builder().add("big", 3 * StepThreads.SUM_CHUNK + 77).add("small", 5).build());
        assertArrayEquals(single, split);
    }

    @Test
    void applyWhileCachedRunsALargeRangeAtOnceAndLeavesASmallOne() {
        int n = 3 * StepThreads.SUM_CHUNK + 5;
        int[] touched = new int[n + 2];
        Optimizer.Kernel count = (from, to) -> {
            for (int i = from; i < to; i++) {
                touched[i]++;
            }
        };
        StepThreads.threshold = Integer.MAX_VALUE;
        assertSame(count, StepThreads.applyWhileCached(count, 1, n + 1));
        assertEquals(0, java.util.Arrays.stream(touched).sum());
        StepThreads.threshold = 1;
        Optimizer.Kernel rest = StepThreads.applyWhileCached(count, 1, n + 1);
        rest.apply(1, n + 1);
        for (int i = 0; i < touched.length; i++) {
            assertEquals(i == 0 || i == n + 1 ? 0 : 1, touched[i], "element " + i);
        }
    }

    private static float[] run(String spec, int threshold) {
        StepThreads.threshold = threshold;
        return run(spec, ParamStore.builder().add("a", 1).add("b", 17, 3).add("c", 1001).add("d", 2).build());
    }

    /** The values after 5 steps of {@code spec} over {@code store}, from seeded random values and gradients. */
    private static float[] run(String spec, ParamStore store) {
        SplittableRandom random = new SplittableRandom(7);
        float[] data = store.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        Optimizer opt = Optimizers.create(spec, store.params());
        for (int step = 0; step < 5; step++) {
            float[] grad = store.grad();
            for (int i = 0; i < grad.length; i++) {
                grad[i] = (float) random.nextGaussian();
            }
            store.markGradsDefined();
            opt.step();
        }
        return store.data().clone();
    }
}
