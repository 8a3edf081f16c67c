package dev.descent.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.descent.tensor.Gemm;
import dev.descent.tensor.Parallel;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Time of one {@link Gemm#sgemm} call ({@code C = op(A) op(B)}, no accumulation) for square products and
 * the shapes of the tutorial MLP, the peer of {@code tools/peers/torch_matmul.py} (same shape names).
 *
 * <p>Parameters ({@code -p name=v1,v2}):
 * <ul>
 *   <li>{@code shape}: a name from {@link #SHAPES}: {@code 512}, {@code 1024}, {@code 2048} (square, no
 *       transpose), or an MLP product at batch 32 or 128 with the weight stored in x out (784 x 128):
 *       {@code fwdB} = X W (B x 784 times 784 x 128), {@code wgradB} = X^T dY (transA, k = B),
 *       {@code igradB} = dY W^T (transB, k = 128), {@code outB} = H W2 (B x 128 times 128 x 10).</li>
 *   <li>{@code threads}: the value of {@code descent.threads} in the benchmark JVM. {@link Parallel} reads
 *       it once, so this relies on JMH running each parameter combination in a fresh JVM (never use
 *       {@code -f 0}); the setup checks that it took effect. Only products of at least
 *       {@code Gemm.SPLIT_FLOPS} flops use a second thread (the squares here, and fwd128 and wgrad128).</li>
 * </ul>
 *
 * <p>Sample time: JMH times single calls; the median is the figure to report, GFLOP/s = 2mnk / median.
 * The setup first calls a small product of the same transposes 20,000 times ({@link #warmUp}).
 * {@link #main} runs a selection and prints that table. Inputs are uniform in [-1, 1) from a fixed seed.
 *
 * <p>Run: {@code java -jar descent-bench/target/benchmarks.jar GemmBenchmark} (everything, about 4
 * minutes), or the table: {@code java -cp descent-bench/target/benchmarks.jar dev.descent.bench.GemmBenchmark}
 * (squares at 1 and 2 threads, MLP shapes at 1 thread, about 3 minutes).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBenchmark {

    /** Shape name to {transA, transB, m, n, k} (booleans as 0/1); the same names torch_matmul.py uses. */
    public static final Map<String, int[]> SHAPES = new LinkedHashMap<>();

    static {
        for (int s : new int[] {512, 1024, 2048}) {
            SHAPES.put(Integer.toString(s), new int[] {0, 0, s, s, s});
        }
        for (int batch : new int[] {32, 128}) {
            SHAPES.put("fwd" + batch, new int[] {0, 0, batch, 128, 784});
            SHAPES.put("wgrad" + batch, new int[] {1, 0, 784, 128, batch});
            SHAPES.put("igrad" + batch, new int[] {0, 1, batch, 784, 128});
            SHAPES.put("out" + batch, new int[] {0, 0, batch, 10, 128});
        }
    }

    @Param({"512", "1024", "2048", "fwd32", "wgrad32", "igrad32", "out32", "fwd128", "wgrad128", "igrad128",
            "out128"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;

    /** The {transA, transB, m, n, k} of a shape name. */
    static int[] shape(String name) {
        int[] s = SHAPES.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown shape '" + name + "', expected one of " + SHAPES.keySet());
        }
        return s;
    }

    @Setup(Level.Trial)
    public void setup() {
        System.setProperty("descent.threads", Integer.toString(threads));
        if (Parallel.THREADS != threads) {
            throw new IllegalStateException("descent.threads=" + threads + " did not take effect (Parallel uses "
                    + Parallel.THREADS + " threads): run each parameter combination in its own fork");
        }
        int[] s = shape(shape);
        transA = s[0] == 1;
        transB = s[1] == 1;
        m = s[2];
        n = s[3];
        k = s[4];
        SplittableRandom random = new SplittableRandom(0);
        a = uniform(random, m * k);
        b = uniform(random, k * n);
        c = new float[m * n];
        warmUp(transA, transB);
    }

    /**
     * Calls a small product of the same kind until the JIT has compiled Gemm's kernels. Vector API code
     * runs hundreds of times slower before C2 compiles it, and one call of a large product takes so long
     * then that the counters that trigger compilation climb slowly: on a busy machine the JMH warm-up alone
     * could end before it. Many cheap calls reach the thresholds in a fraction of a second.
     */
    static void warmUp(boolean transA, boolean transB) {
        int m = 24;
        int n = 96;
        int k = 64;
        float[] x = new float[m * k];
        float[] y = new float[k * n];
        float[] z = new float[m * n];
        java.util.Arrays.fill(x, 0.5f);
        java.util.Arrays.fill(y, 0.25f);
        for (int i = 0; i < 20_000; i++) {
            Gemm.sgemm(transA, transB, m, n, k, x, 0, transA ? m : k, y, 0, transB ? k : n, z, 0, n, false);
        }
    }

    private static float[] uniform(SplittableRandom random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
        return c;
    }

    /**
     * Runs the squares at 1 and 2 threads and the MLP shapes at 1 thread (or the shapes given as
     * arguments, at {@code -Dthreads=1,2}), then prints one line per run: shape, threads, median
     * microseconds, GFLOP/s.
     */
    public static void main(String[] args) throws RunnerException {
        if ("cpu".equals(System.getProperty("clock"))) {
            cpuClock(args.length > 0 ? java.util.List.of(args) : SHAPES.keySet());
            return;
        }
        Map<String, String> runs = new LinkedHashMap<>();
        if (args.length > 0) {
            for (String name : args) {
                shape(name);
                runs.put(name, System.getProperty("threads", "1,2"));
            }
        } else {
            for (String name : SHAPES.keySet()) {
                runs.put(name, Character.isDigit(name.charAt(0)) ? "1,2" : "1");
            }
        }
        StringBuilder table = new StringBuilder("shape,threads,median_us,gflops\n");
        for (Map.Entry<String, String> run : runs.entrySet()) {
            ChainedOptionsBuilder opts = new OptionsBuilder()
                    .include(GemmBenchmark.class.getName() + ".sgemm")
                    .param("shape", run.getKey())
                    .param("threads", run.getValue().split(","));
            for (RunResult r : new Runner(opts.build()).run()) {
                String threadCount = r.getParams().getParam("threads");
                int[] s = shape(r.getParams().getParam("shape"));
                double us = r.getPrimaryResult().getStatistics().getPercentile(50);
                double gflops = 2.0 * s[2] * s[3] * s[4] / (us * 1e3);
                table.append(String.format(java.util.Locale.ROOT, "%s,%s,%.1f,%.1f%n", run.getKey(), threadCount,
                        us, gflops));
            }
        }
        System.out.print(table);
    }

    /**
     * {@code -Dclock=cpu}: times each shape in this JVM on one thread with the thread's CPU time instead of
     * wall time (groups of calls of at least 2 ms, median over 3 s after 2 s of warm-up), what the core delivers while this
     * thread runs when others share the machine; torch_matmul.py's {@code --clock cpu} is the peer.
     */
    private static void cpuClock(Iterable<String> shapes) {
        System.setProperty("descent.threads", "1");
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        StringBuilder table = new StringBuilder("shape,threads,median_us,gflops\n");
        for (String name : shapes) {
            GemmBenchmark bench = new GemmBenchmark();
            bench.shape = name;
            bench.threads = 1;
            bench.setup();
            java.util.List<Double> times = new java.util.ArrayList<>();
            for (int phase = 0; phase < 2; phase++) { // 2 s of warm-up, then 3 s timed
                long end = mx.getCurrentThreadCpuTime() + (phase == 0 ? 2_000_000_000L : 3_000_000_000L);
                while (mx.getCurrentThreadCpuTime() < end || (phase == 1 && times.size() < 10)) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    long t1;
                    int calls = 0;
                    do { // clock reads cost about a microsecond: read every 16 calls
                        for (int i = 0; i < 16; i++) {
                            bench.sgemm();
                        }
                        calls += 16;
                        t1 = mx.getCurrentThreadCpuTime();
                    } while (t1 - t0 < 2_000_000);
                    if (phase == 1) {
                        times.add((t1 - t0) / 1e3 / calls);
                    }
                }
            }
            java.util.Collections.sort(times);
            double us = times.get(times.size() / 2);
            table.append(String.format(java.util.Locale.ROOT, "%s,1,%.1f,%.1f%n", name, us,
                    2.0 * bench.m * bench.n * bench.k / (us * 1e3)));
        }
        System.out.print(table);
    }
}
