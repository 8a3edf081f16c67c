package dev.descent.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    private static ExecutorService pool;

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
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < shares.size() - 1; i++) {
            running.add(pool().submit(shares.get(i)));
        }
        shares.get(shares.size() - 1).run();
        join(running);
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
            List<Future<?>> running = new ArrayList<>();
            int per = (pieces + THREADS - 1) / THREADS;
            for (int a = 0; a + per < pieces; a += per) {
                int b = a + per;
                int start = a;
                running.add(pool().submit(() -> piece.apply(start, b)));
            }
            piece.apply(running.size() * per, pieces);
            join(running);
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
     * {@code kernel} to it now when {@link #sum} split that range across threads, cut at the same places, and
     * returns a loop that does nothing; otherwise returns {@code kernel}, for the step to run with the others.
     * Why: a parameter's arrays (up to a few tens of MB) are still in the last-level cache right after its sum,
     * and gone once the sums of all parameters have run, so the second pass then reads them from memory again.
     */
    static Optimizer.Kernel applyWhileCached(Optimizer.Kernel kernel, int from, int to) {
        int pieces = Math.max(1, (int) (((long) to - from + SUM_CHUNK - 1) / SUM_CHUNK));
        if (THREADS == 1 || to - from < threshold / 4 || pieces == 1) {
            return kernel;
        }
        List<Future<?>> running = new ArrayList<>();
        int per = (pieces + THREADS - 1) / THREADS;
        int start = from;
        for (int a = 0; a + per < pieces; a += per) {
            int a0 = start;
            int b0 = from + (a + per) * SUM_CHUNK;
            running.add(pool().submit(() -> kernel.apply(a0, b0)));
            start = b0;
        }
        kernel.apply(start, to);
        join(running);
        return (a, b) -> { };
    }

    private static void join(List<Future<?>> running) {
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an optimizer step", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
            }
        }
    }

    private static Runnable sequence(List<Runnable> pieces) {
        return () -> pieces.forEach(Runnable::run);
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(THREADS - 1, r -> {
                Thread t = new Thread(r, "descent-step");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }
}
