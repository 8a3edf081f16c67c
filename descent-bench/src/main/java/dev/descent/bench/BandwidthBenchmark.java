package dev.descent.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * STREAM-style memory bandwidth of this machine, the limit an optimizer step is measured against.
 *
 * <p>Kernels, over {@code float[]}, with the bytes counted the way STREAM counts them (each array element
 * read or written once, 4 bytes a float; the write-allocate read of a store target is not counted):
 * <ul>
 *   <li>{@code copy}: {@code a[i] = b[i]}, 8 bytes per element;</li>
 *   <li>{@code triad}: {@code a[i] = b[i] + s * c[i]}, 12 bytes per element;</li>
 *   <li>{@code axpy}: {@code a[i] = a[i] + s * b[i]}, 12 bytes per element. Not a STREAM kernel: it is
 *       the shape of an SGD step (read p and g, write p back), an in-place update whose stores hit lines
 *       already read, so unlike copy and triad it pays no hidden write-allocate traffic. It is the closest
 *       ceiling for optimizer steps, all of which update their arrays in place.</li>
 * </ul>
 *
 * <p>Size: three arrays of {@value #ELEMENTS} floats (160 MB each, 480 MB in all), five times the 32 MiB
 * L3 of this machine per array, so every pass streams from DRAM (STREAM asks for 4x the last-level cache).
 *
 * <p>Threads: the {@code *1} methods run one thread over the whole arrays. The {@code *2} methods run two
 * JMH threads ({@link Threads @Threads(2)}), each owning its own half-size arrays ({@link Scope#Thread}
 * state, allocated and first touched by that thread) and looping independently; JMH adds up their
 * throughputs. This measures what the memory system delivers to two busy cores, with no per-pass
 * dispatch or barrier cost, so it is the machine's bandwidth rather than one scheme's. (A split loop on a
 * persistent pool, what descent does, pays a dispatch of about 30-40 us per pass on top;
 * {@link Bandwidth} measures that way.)
 *
 * <p>Scores are in GB/s (10^9 bytes per second): the mode is throughput, each invocation counts as as
 * many "operations" as it moves bytes ({@link OperationsPerInvocation}), and the unit is ops/ns.
 *
 * <p>Run: {@code java -jar descent-bench/target/benchmarks.jar Bandwidth} (about 3 minutes).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class BandwidthBenchmark {

    /** Elements per array for one thread; two threads own half each. */
    public static final int ELEMENTS = 40_000_000;
    static final int HALF = ELEMENTS / 2;

    static final int COPY_BYTES = ELEMENTS * 8;
    static final int TRIAD_BYTES = ELEMENTS * 12;
    static final int COPY_BYTES_HALF = HALF * 8;
    static final int TRIAD_BYTES_HALF = HALF * 12;

    /** The multiplier of triad and axpy; not a compile-time constant, so the JIT cannot fold it. */
    static float scalar = 1e-7f;

    /** Arrays of {@code n} floats, filled by the thread that owns them. */
    abstract static class Arrays {
        float[] a;
        float[] b;
        float[] c;
        float s;

        void allocate(int n) {
            a = new float[n];
            b = new float[n];
            c = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = 1f;
                b[i] = 2f;
                c[i] = 0.5f;
            }
            s = scalar;
        }
    }

    /** One thread's arrays of {@link #ELEMENTS} floats. */
    @State(Scope.Thread)
    public static class Whole extends Arrays {
        @Setup(Level.Trial)
        public void setup() {
            allocate(ELEMENTS);
        }
    }

    /** One thread's arrays of {@link #HALF} floats, for the two-thread runs. */
    @State(Scope.Thread)
    public static class Half extends Arrays {
        @Setup(Level.Trial)
        public void setup() {
            allocate(HALF);
        }
    }

    static void copy(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] = b[i];
        }
    }

    static void triad(float[] a, float[] b, float[] c, float s) {
        for (int i = 0; i < a.length; i++) {
            a[i] = b[i] + s * c[i];
        }
    }

    static void axpy(float[] a, float[] b, float s) {
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i] + s * b[i];
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(COPY_BYTES)
    public float copy1(Whole w) {
        copy(w.a, w.b);
        return w.a[0];
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(COPY_BYTES_HALF)
    public float copy2(Half h) {
        copy(h.a, h.b);
        return h.a[0];
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(TRIAD_BYTES)
    public float triad1(Whole w) {
        triad(w.a, w.b, w.c, w.s);
        return w.a[0];
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(TRIAD_BYTES_HALF)
    public float triad2(Half h) {
        triad(h.a, h.b, h.c, h.s);
        return h.a[0];
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(TRIAD_BYTES)
    public float axpy1(Whole w) {
        axpy(w.a, w.b, w.s);
        return w.a[0];
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(TRIAD_BYTES_HALF)
    public float axpy2(Half h) {
        axpy(h.a, h.b, h.s);
        return h.a[0];
    }
}
