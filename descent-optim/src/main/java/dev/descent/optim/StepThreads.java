package dev.descent.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs the elementwise loops of one optimizer step, splitting them across cores when the step is large.
 *
 * <p>A step over fewer than {@code threshold} elements runs on the calling thread: a dispatch to another
 * core costs microseconds when the workers are awake and tens of microseconds when they must be woken. A
 * larger step is cut into chunks, counted across all parameters (so 1000 small tensors split as well as 10
 * large ones), which the calling thread and the persistent workers of {@link StepWorkers} claim one after
 * another: long ones first, shorter ones as the step ends, and none under {@code chunk} elements (see
 * {@link #chunkStarts}). Every update is elementwise, so which thread runs a chunk does not change a bit of the
 * result. System properties {@code descent.threads} (default: available processors),
 * {@code descent.parallelThreshold} (default 2^20 elements), {@code descent.stepChunk} (default 2^16
 * elements), {@code descent.chunkDivisor} (default 2) and {@code descent.spinMicros} (see
 * {@link StepWorkers}) tune it.
 */
final class StepThreads {
    static final int THREADS = Math.max(1, Integer.getInteger("descent.threads", Runtime.getRuntime().availableProcessors()));
    /** Steps over at least this many elements are split; tests lower it to exercise the split on small data. */
    static volatile int threshold = Math.max(1, Integer.getInteger("descent.parallelThreshold", 1 << 20));
    /**
     * The fewest elements in a chunk of a split step (256 KB of each array): claiming a chunk (an atomic
     * increment, a kernel call) then costs under 1% of running it. Tests lower it, with {@link #chunkDivisor},
     * to cut small steps into many chunks.
     */
    static volatile int chunk = Math.max(1, Integer.getInteger("descent.stepChunk", 1 << 16));
    /**
     * Each chunk of a large step takes the elements still unclaimed over threads × this (see {@link #chunkStarts}).
     * Long chunks stream faster than short ones: over 10M parameters on two threads, chunks of about 1M ran SGD,
     * Adam and Rprop steps 1-12% faster than chunks of 64K, and the shrinking chunks of this rule ran plain SGD
     * 7-14% faster than eight equal chunks, as fast as one half per thread (in-JVM A/B runs), while a thread that
     * starts late still leaves the rest to the others.
     */
    static volatile int chunkDivisor = Math.max(1, Integer.getInteger("descent.chunkDivisor", 2));

    private StepThreads() {
    }

    static void run(List<Optimizer.Kernel> kernels, List<Param> params) {
        int n = params.size();
        // starts[k]: the elements of params before parameter k, counted across all of them.
        long[] starts = new long[n + 1];
        for (int k = 0; k < n; k++) {
            starts[k + 1] = starts[k] + params.get(k).size();
        }
        long total = starts[n];
        if (THREADS == 1 || total < threshold) {
            for (int k = 0; k < n; k++) {
                Param p = params.get(k);
                kernels.get(k).apply(p.offset(), p.offset() + p.size());
            }
            return;
        }
        long[] cuts = chunkStarts(total);
        workers().run(cuts.length - 1, c -> {
            long a = cuts[c];
            long b = cuts[c + 1];
            int k = lastStartAtOrBefore(starts, a);
            while (a < b) {
                long end = Math.min(b, starts[k + 1]);
                if (end > a) {
                    int offset = params.get(k).offset();
                    kernels.get(k).apply(offset + (int) (a - starts[k]), offset + (int) (end - starts[k]));
                }
                a = end;
                k++;
            }
        });
    }

    /**
     * Where the chunks of a split step over {@code total} elements start, then {@code total}: each chunk takes the
     * elements still unclaimed over {@link #THREADS} × {@link #chunkDivisor}, rounded up to a multiple of 4096
     * (so that chunks start in the same place of a cache line and of a page), or {@link #chunk} if that is more;
     * the last one takes what is left. Long chunks first stream fast, and the short ones at the end keep the threads
     * finishing together (OpenMP's guided schedule): over 10M parameters on two threads, 2.5M, 1.9M, 1.4M, ...
     * down to 64K, 17 chunks.
     */
    static long[] chunkStarts(long total) {
        long divisor = (long) THREADS * chunkDivisor;
        List<Long> cuts = new ArrayList<>();
        for (long a = 0; a < total; ) {
            cuts.add(a);
            long share = ((total - a) / divisor + 4095) / 4096 * 4096;
            a += Math.min(total - a, Math.max(chunk, share));
        }
        cuts.add(total);
        return cuts.stream().mapToLong(Long::longValue).toArray();
    }

    /** The largest k below {@code starts.length - 1} with {@code starts[k] <= x} (starts ascending, starts[0] = 0). */
    private static int lastStartAtOrBefore(long[] starts, long x) {
        int lo = 0;
        int hi = starts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A piece of a sum over a range of elements: adds the sums of {@code [from, to)} into {@code out}. */
    interface RangeSum {
        void add(int from, int to, double[] out);
    }

    /** Elements per piece of {@link #sum}; fixed, so a sum does not depend on the number of threads. */
    static final int SUM_CHUNK = 1 << 16;

    /**
     * {@code width} sums over {@code [from, to)} (norms before a step), cut into pieces of {@link #SUM_CHUNK}
     * elements that are summed separately, on several threads from a quarter of {@code threshold} on (a sum is
     * one pass where a step is several, and one parameter where a step is all), and then added in
     * order: the result is the same for any number of threads, and for a range of one piece it is exactly the
     * sequential sum.
     */
    static double[] sum(int width, int from, int to, RangeSum f) {
        int pieces = Math.max(1, (int) (((long) to - from + SUM_CHUNK - 1) / SUM_CHUNK));
        double[][] parts = new double[pieces][width];
        StepWorkers.Chunks piece = c -> f.add(from + c * SUM_CHUNK, (int) Math.min(to, from + (long) (c + 1) * SUM_CHUNK), parts[c]);
        if (!sumSplits(to - from)) {
            for (int c = 0; c < pieces; c++) {
                piece.run(c);
            }
        } else {
            workers().run(pieces, piece);
        }
        double[] total = new double[width];
        for (double[] part : parts) {
            for (int k = 0; k < width; k++) {
                total[k] += part[k];
            }
        }
        return total;
    }

    /**
     * For the second pass of a step that summed over the parameter {@code [from, to)} first (LAMB, LARS): applies
     * {@code kernel} to it now, across the threads, when {@link #sum} split that range across threads, and
     * returns a loop that does nothing; otherwise returns {@code kernel}, for the step to run with the others.
     * Why: a parameter's arrays (up to a few tens of MB) are still in the last-level cache right after its sum,
     * and gone once the sums of all parameters have run, so the second pass then reads them from memory again.
     * The kernel is elementwise, so how the range is cut does not change a bit of the result.
     */
    static Optimizer.Kernel applyWhileCached(Optimizer.Kernel kernel, int from, int to) {
        if (!sumSplits(to - from) || to - from <= SUM_CHUNK) {
            return kernel;
        }
        long[] cuts = chunkStarts(to - from);
        workers().run(cuts.length - 1, c -> kernel.apply((int) (from + cuts[c]), (int) (from + cuts[c + 1])));
        return (a, b) -> { };
    }

    /**
     * Works out each parameter's kernel with {@code update} (by its index in {@code params}) and runs it. When the
     * updates are {@code independent} (they touch nothing but their own parameter's data and state) and the
     * parameters are many and small (together at least {@code threshold} elements, each under a quarter of it, so
     * that none would be split on its own), each parameter's update and kernel run together, as one task, on all
     * step threads: an update that makes a pass over its parameter first (LAMB's, LARS's and Adafactor's norms)
     * would otherwise run one parameter after another on one thread, and the kernel finds the parameter's arrays
     * still in the core's cache. Otherwise the updates run in order and then {@link #run} runs the kernels. Each
     * parameter is one task whichever thread runs it, so the results do not depend on the threads.
     */
    static void updateAndRun(List<Param> params, IntFunction<Optimizer.Kernel> update, boolean independent) {
        long total = 0;
        int largest = 0;
        for (Param p : params) {
            total += p.size();
            largest = Math.max(largest, p.size());
        }
        if (independent && THREADS > 1 && total >= threshold && !sumSplits(largest)) {
            workers().run(params.size(), i -> {
                Param p = params.get(i);
                update.apply(i).apply(p.offset(), p.offset() + p.size());
            });
            return;
        }
        List<Optimizer.Kernel> kernels = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            kernels.add(update.apply(i));
        }
        run(kernels, params);
    }

    /** Whether {@link #sum} splits a range of {@code n} elements across threads: from a quarter of {@code threshold} on. */
    private static boolean sumSplits(long n) {
        return THREADS > 1 && n >= threshold / 4;
    }

    /** The workers, started on first use (a JVM that never splits a step starts none). */
    private static StepWorkers workers() {
        return Workers.INSTANCE;
    }

    private static final class Workers {
        static final StepWorkers INSTANCE = new StepWorkers(THREADS - 1, "descent-step");
    }
}
