package dev.descent.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A quick, JMH-free measurement of memory bandwidth that prints one line per thread count:
 * {@code threads=1 copy_gbps=... triad_gbps=... axpy_gbps=...}, each the median over the timed passes.
 *
 * <p>Same kernels, sizes and byte counts as {@link BandwidthBenchmark} (which is the reference; see it for
 * the counting). The difference is how two threads run: here the arrays are split into two halves, the
 * calling thread does one and a persistent one-thread pool the other, and a pass ends when both are done,
 * the way a split optimizer loop runs. So the 2-thread figure includes the dispatch and the wait for the
 * slower half.
 *
 * <p>Run: {@code java -cp descent-bench/target/benchmarks.jar dev.descent.bench.Bandwidth
 * [--floats N] [--warmup W] [--repeats R] [--threads 1,2]}.
 */
public final class Bandwidth {

    private Bandwidth() {
    }

    @FunctionalInterface
    private interface Kernel {
        void run(float[] a, float[] b, float[] c, float s, int from, int to);
    }

    static void copy(float[] a, float[] b, float[] c, float s, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = b[i];
        }
    }

    static void triad(float[] a, float[] b, float[] c, float s, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = b[i] + s * c[i];
        }
    }

    static void axpy(float[] a, float[] b, float[] c, float s, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = a[i] + s * b[i];
        }
    }

    public static void main(String[] args) throws Exception {
        int floats = BandwidthBenchmark.ELEMENTS;
        int warmup = 20;
        int repeats = 50;
        int[] threadCounts = {1, 2};
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + arg);
            }
            String value = args[++i];
            try {
                switch (arg) {
                    case "--floats" -> floats = Integer.parseInt(value.replace("_", ""));
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--repeats" -> repeats = Integer.parseInt(value);
                    case "--threads" -> threadCounts = Arrays.stream(value.split(","))
                            .map(String::trim).mapToInt(Integer::parseInt).toArray();
                    default -> usage("unknown option " + arg);
                }
            } catch (NumberFormatException e) {
                usage("bad number for " + arg + ": " + value);
            }
        }
        if (floats < 1 || warmup < 0 || repeats < 1 || Arrays.stream(threadCounts).anyMatch(t -> t < 1)) {
            usage("--floats, --repeats and --threads must be >= 1, --warmup >= 0");
        }

        float[] a = new float[floats];
        float[] b = new float[floats];
        float[] c = new float[floats];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 2f);
        Arrays.fill(c, 0.5f);
        float s = Float.parseFloat("1e-7");
        System.err.printf(Locale.ROOT, "3 arrays of %d floats (%.0f MB each), warmup %d, median of %d passes%n",
                floats, floats * 4 / 1e6, warmup, repeats);

        int maxThreads = Arrays.stream(threadCounts).max().orElse(1);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, maxThreads - 1), r -> {
            Thread t = new Thread(r, "bandwidth-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int threads : threadCounts) {
                double copy = measure(Bandwidth::copy, 8, a, b, c, s, threads, warmup, repeats, pool);
                double triad = measure(Bandwidth::triad, 12, a, b, c, s, threads, warmup, repeats, pool);
                double axpy = measure(Bandwidth::axpy, 12, a, b, c, s, threads, warmup, repeats, pool);
                System.out.printf(Locale.ROOT, "threads=%d copy_gbps=%.2f triad_gbps=%.2f axpy_gbps=%.2f%n",
                        threads, copy, triad, axpy);
            }
        } finally {
            pool.shutdownNow();
        }
        if (a[0] == 42f) {
            System.err.println(); // keeps the results observable
        }
    }

    /** Median GB/s of {@code repeats} passes of {@code kernel} split into {@code threads} chunks. */
    private static double measure(Kernel kernel, int bytesPerElement, float[] a, float[] b, float[] c, float s,
            int threads, int warmup, int repeats, ExecutorService pool) throws Exception {
        int n = a.length;
        double[] gbps = new double[repeats];
        List<Future<?>> pending = new ArrayList<>(threads);
        for (int rep = -warmup; rep < repeats; rep++) {
            long start = System.nanoTime();
            pending.clear();
            for (int t = 1; t < threads; t++) {
                int from = (int) ((long) n * t / threads);
                int to = (int) ((long) n * (t + 1) / threads);
                pending.add(pool.submit(() -> kernel.run(a, b, c, s, from, to)));
            }
            kernel.run(a, b, c, s, 0, (int) ((long) n / threads));
            for (Future<?> f : pending) {
                f.get();
            }
            long elapsed = System.nanoTime() - start;
            if (rep >= 0) {
                gbps[rep] = (double) bytesPerElement * n / elapsed;
            }
        }
        Arrays.sort(gbps);
        return repeats % 2 == 1 ? gbps[repeats / 2] : (gbps[repeats / 2 - 1] + gbps[repeats / 2]) / 2;
    }

    private static void usage(String message) {
        System.err.println("bandwidth: " + message
                + " (usage: [--floats N] [--warmup W] [--repeats R] [--threads 1,2])");
        System.exit(2);
    }
}
