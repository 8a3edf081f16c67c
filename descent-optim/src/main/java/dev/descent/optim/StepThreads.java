package dev.descent.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the elementwise loops of one optimizer step, splitting them across cores when the step is large.
 *
 * <p>A step over fewer than {@code threshold} elements runs on the calling thread: a dispatch to another
 * core costs tens of microseconds here. A larger step is cut into one contiguous share per thread,
 * counted in elements across all parameters (so 1000 small tensors split as well as 10 large ones); the
 * calling thread runs the last share. The workers are one persistent pool of daemon threads. System
 * properties {@code descent.threads} (default: available processors) and {@code descent.parallelThreshold}
 * (default 2^20 elements) tune it.
 */
final class StepThreads {
    static final int THREADS = Math.max(1, Integer.getInteger("descent.threads", Runtime.getRuntime().availableProcessors()));
    /** Steps over at least this many elements are split; tests lower it to exercise the split on small data. */
    static volatile int threshold = Math.max(1, Integer.getInteger("descent.parallelThreshold", 1 << 20));

    private StepThreads() {
    }

    static void run(List<Optimizer.Kernel> kernels, List<Param> params) {
        long total = 0;
        for (Param p : params) {
            total += p.size();
        }
        if (THREADS == 1 || total < threshold) {
            for (int i = 0; i < kernels.size(); i++) {
                Param p = params.get(i);
                kernels.get(i).apply(p.offset(), p.offset() + p.size());
            }
            return;
        }
        List<Runnable> shares = new ArrayList<>();
        long perShare = (total + THREADS - 1) / THREADS;
        List<Runnable> current = new ArrayList<>();
        long filled = 0;
        for (int i = 0; i < kernels.size(); i++) {
            Optimizer.Kernel k = kernels.get(i);
            int from = params.get(i).offset();
            int end = from + params.get(i).size();
            while (from < end) {
                int to = (int) Math.min(end, from + (perShare - filled));
                int a = from;
                current.add(() -> k.apply(a, to));
                filled += to - from;
                from = to;
                if (filled == perShare) {
                    shares.add(sequence(current));
                    current = new ArrayList<>();
                    filled = 0;
                }
            }
        }
        if (!current.isEmpty()) {
            shares.add(sequence(current));
        }
        workers().runAll(shares);
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
        Optimizer.Kernel piece = (a, b) -> {
            for (int c = a; c < b; c++) {
                f.add(from + c * SUM_CHUNK, (int) Math.min(to, from + (long) (c + 1) * SUM_CHUNK), parts[c]);
            }
        };
        if (THREADS == 1 || to - from < threshold / 4 || pieces == 1) {
            piece.apply(0, pieces);
        } else {
            List<Runnable> shares = new ArrayList<>();
            int per = (pieces + THREADS - 1) / THREADS;
            for (int a = 0; a < pieces; a += per) {
                int b = Math.min(pieces, a + per);
                int start = a;
                shares.add(() -> piece.apply(start, b));
            }
            workers().runAll(shares);
        }
        double[] total = new double[width];
        for (double[] part : parts) {
            for (int k = 0; k < width; k++) {
                total[k] += part[k];
            }
        }
        return total;
    }

    private static Runnable sequence(List<Runnable> pieces) {
        return () -> pieces.forEach(Runnable::run);
    }

    /** The workers, started on first use (a JVM that never splits a step starts none). */
    private static StepWorkers workers() {
        return Workers.INSTANCE;
    }

    private static final class Workers {
        static final StepWorkers INSTANCE = new StepWorkers(THREADS - 1, "descent-step");
    }
}
