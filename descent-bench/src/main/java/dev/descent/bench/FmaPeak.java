package dev.descent.bench;

import java.util.Locale;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 FLOP/s ceiling of one core as Java reaches it, the limit a matrix multiply is measured against.
 *
 * <p>A loop of 12 independent vector {@code fma} chains of the preferred species, no memory traffic: enough
 * chains to cover the fma latency (4 cycles) on two fma pipes, so it runs at the core's fma throughput,
 * {@code lanes x 2 pipes x 2 flops} per cycle. It prints that per-cycle figure, the GFLOP/s measured on
 * wall time and on the thread's CPU time (the latter is what the core delivers while this thread runs,
 * useful when others share the machine), and the clock they imply. The machine peak is the per-core
 * figure times the cores.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp descent-bench/target/benchmarks.jar
 * dev.descent.bench.FmaPeak} (about 5 s).
 */
public final class FmaPeak {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private FmaPeak() {
    }

    /** Runs {@code iterations} rounds of the 12 chains and returns a sum that depends on all of them. */
    static float chains(long iterations) {
        FloatVector x = FloatVector.broadcast(SPECIES, 1.0000001f);
        FloatVector y = FloatVector.broadcast(SPECIES, 0.9999999f);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector a8 = a0;
        FloatVector a9 = a0;
        FloatVector a10 = a0;
        FloatVector a11 = a0;
        for (long i = 0; i < iterations; i++) {
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
            a10 = x.fma(y, a10);
            a11 = x.fma(y, a11);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] args) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long iterations = 50_000_000;
        double flopsPerRun = (double) iterations * CHAINS * SPECIES.length() * 2;
        double bestWall = 0;
        double bestCpu = 0;
        float sink = 0;
        for (int run = 0; run < 10; run++) {
            long wall = System.nanoTime();
            long cpu = mx.getCurrentThreadCpuTime();
            sink += chains(iterations);
            cpu = mx.getCurrentThreadCpuTime() - cpu;
            wall = System.nanoTime() - wall;
            if (run >= 3) { // the first runs include compilation
                bestWall = Math.max(bestWall, flopsPerRun / wall);
                bestCpu = Math.max(bestCpu, flopsPerRun / cpu);
            }
        }
        int perCycle = SPECIES.length() * 2 * 2;
        System.out.printf(Locale.ROOT, "lanes=%d flops_per_cycle=%d wall_gflops=%.1f cpu_gflops=%.1f implied_ghz=%.2f"
                + " cores=%d (sum %s)%n", SPECIES.length(), perCycle, bestWall, bestCpu, bestCpu / perCycle,
                Runtime.getRuntime().availableProcessors(), sink > 0 ? "ok" : "?");
    }
}
