package dev.descent.bench;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.ParamStore;

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

/**
 * Time of one {@link Optimizer#step()} over 10 million float parameters, for the classic optimizer
 * configurations, the peer of {@code tools/peers/torch_step.py}.
 *
 * <p>Parameters ({@code -p name=v1,v2}):
 * <ul>
 *   <li>{@code optimizer}: a name from {@link #SPECS} (the same names torch_step.py uses), e.g. {@code adam}
 *       for {@code adam(lr=1e-6)}. Any other value is taken as a spec with {@code ;} standing for
 *       {@code ,} (JMH splits parameter values at commas): {@code "adam(lr=1e-6; amsgrad=true)"}.</li>
 *   <li>{@code layout}: {@code 10x1M} (10 tensors of 1,000,000) or {@code 1000x10k} (1000 of 10,000), the
 *       same flat storage either way; the layout changes per-tensor overhead and how the split across
 *       threads falls.</li>
 *   <li>{@code threads}: the value of {@code descent.threads} in the benchmark JVM. The optimizer reads
 *       it once, when its thread pool class initializes, so this works only because JMH runs every
 *       parameter combination in its own fresh JVM (never run this benchmark with {@code -f 0}); the setup
 *       checks that the value took effect.</li>
 * </ul>
 *
 * <p>As in torch_step.py, parameters start uniform in [0, 1), every gradient is filled once with
 * standard normal values (seeded) and every step reuses it; lr is 1e-6 so nothing overflows however
 * many steps run. The mode is sample time: JMH times single {@code step()} calls, so the result carries
 * the median ({@code p0.50}) as well as the mean, in ms.
 *
 * <p>Warm-up: 4 iterations of 1 s are several hundred steps, and many thousand calls of each kernel,
 * far beyond what C2 needs (with {@code -XX:+PrintCompilation} the last compilation of a kernel lands in
 * the first warm-up second).
 *
 * <p>Run: {@code java -jar descent-bench/target/benchmarks.jar StepBenchmark} (everything: 80 forks,
 * about 12 minutes), or e.g. {@code ... StepBenchmark -p optimizer=adam -p threads=2 -f 5}.
 * {@code tools/peers/compare_steps.py} runs it interleaved with PyTorch and the bandwidth measurement.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class StepBenchmark {

    /** Names and the specs they stand for; torch_step.py's names for the same configurations. */
    public static final Map<String, String> SPECS = new LinkedHashMap<>();

    static {
        SPECS.put("sgd", "sgd(lr=1e-6)");
        SPECS.put("sgd_momentum", "sgd(lr=1e-6, momentum=0.9)");
        SPECS.put("nesterov", "sgd(lr=1e-6, momentum=0.9, nesterov=true)");
        SPECS.put("adagrad", "adagrad(lr=1e-6)");
        SPECS.put("rmsprop", "rmsprop(lr=1e-6)");
        SPECS.put("rmsprop_centered_momentum", "rmsprop(lr=1e-6, centered=true, momentum=0.9)");
        SPECS.put("adadelta", "adadelta(lr=1e-6)");
        SPECS.put("adam", "adam(lr=1e-6)");
        SPECS.put("amsgrad", "adam(lr=1e-6, amsgrad=true)");
        SPECS.put("nadam", "nadam(lr=1e-6)");
        SPECS.put("adamw", "adamw(lr=1e-6)");
        SPECS.put("adamax", "adamax(lr=1e-6)");
        SPECS.put("radam", "radam(lr=1e-6)");
        SPECS.put("asgd", "asgd(lr=1e-6)");
        SPECS.put("rprop", "rprop(lr=1e-6)");
        SPECS.put("lion", "lion(lr=1e-6)");
        SPECS.put("lamb", "lamb(lr=1e-6)");
        SPECS.put("lars", "lars(lr=1e-6, momentum=0.9, weight_decay=1e-4)");
        SPECS.put("adabelief", "adabelief(lr=1e-6)");
        SPECS.put("yogi", "yogi(lr=1e-6)");
    }

    /** Total parameters, as in torch_step.py. */
    public static final int PARAMS = 10_000_000;

    @Param({"sgd", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "rmsprop_centered_momentum", "adadelta",
            "adam", "amsgrad", "nadam", "adamw", "adamax", "radam", "asgd", "rprop", "lion", "lamb", "lars", "adabelief",
            "yogi"})
    public String optimizer;

    @Param({"10x1M", "1000x10k"})
    public String layout;

    @Param({"1", "2"})
    public int threads;

    private Optimizer opt;

    /** The spec a parameter value stands for. */
    static String spec(String name) {
        String known = SPECS.get(name);
        return known != null ? known : name.replace(';', ',');
    }

    /** The tensor count of a layout such as {@code 10x1M}; the tensors split {@link #PARAMS} evenly. */
    static int tensors(String layout) {
        int x = layout.indexOf('x');
        if (x <= 0) {
            throw new IllegalArgumentException("layout must look like 10x1M, got " + layout);
        }
        int tensors = Integer.parseInt(layout.substring(0, x));
        if (tensors < 1 || PARAMS % tensors != 0) {
            throw new IllegalArgumentException("layout " + layout + ": " + PARAMS + " parameters do not split into "
                    + tensors + " equal tensors");
        }
        return tensors;
    }

    @Setup(Level.Trial)
    public void setup() throws ReflectiveOperationException {
        System.setProperty("descent.threads", Integer.toString(threads));
        int tensors = tensors(layout);
        ParamStore.Builder b = ParamStore.builder();
        for (int i = 0; i < tensors; i++) {
            b.add("p" + i, PARAMS / tensors);
        }
        ParamStore store = b.build();
        SplittableRandom random = new SplittableRandom(0);
        float[] data = store.data();
        float[] grad = store.grad();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble();
            grad[i] = (float) gaussian(random);
        }
        store.markGradsDefined();
        opt = Optimizers.create(spec(optimizer), store.params());
        opt.step(); // creates the state and initializes the thread pool class
        Class<?> c = Class.forName("dev.descent.optim.StepThreads");
        Field f = c.getDeclaredField("THREADS");
        f.setAccessible(true);
        int actual = f.getInt(null);
        if (actual != threads) {
            throw new IllegalStateException("descent.threads=" + threads + " did not take effect (the step uses "
                    + actual + " threads): run each parameter combination in its own fork");
        }
    }

    /** A standard normal sample (Marsaglia's polar method). */
    private static double gaussian(SplittableRandom r) {
        double u;
        double v;
        double s;
        do {
            u = 2 * r.nextDouble() - 1;
            v = 2 * r.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    @Benchmark
    public void step() {
        opt.step();
    }
}
