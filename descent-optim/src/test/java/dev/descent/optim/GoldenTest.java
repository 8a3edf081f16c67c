package dev.descent.optim;

import dev.descent.optim.problem.Problem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays every configuration PyTorch 1.13 ran (tools/golden/generate.py) through descent's optimizers:
 * fed with PyTorch's recorded gradients, and end to end with the Java problem's own gradients.
 */
class GoldenTest {
    private static final double TOLERANCE = 1e-4;
    private static final List<GoldenRun> RUNS = GoldenRun.loadAll();

    @Test
    void everyAlgorithmAndOptionIsCovered() {
        assertEquals(132, RUNS.size());
        String all = RUNS.stream().map(r -> r.optimizer).reduce("", String::concat);
        for (String needle : List.of("sgd(", "momentum(", "nag(", "dampening=", "nesterov=true", "adagrad(",
                "lr_decay=", "initial_accumulator_value=", "rmsprop(", "centered=true", "alpha=", "adadelta(", "rho=",
                "adam(", "amsgrad=true", "betas=", "nadam(", "momentum_decay=", "weight_decay=", "maximize=true", "eps=")) {
            assertTrue(all.contains(needle), "no golden run exercises " + needle);
        }
    }

    /** Fed with PyTorch's gradients, our float32 trajectory stays within 1e-4 of PyTorch's at every step. */
    @TestFactory
    Stream<DynamicTest> replayOfRecordedGradients() {
        return RUNS.stream().map(run -> DynamicTest.dynamicTest(run.toString(), () -> {
            Param p = ParamStore.of("w", run.params[0]).param(0);
            Optimizer opt = Optimizers.create(run.optimizer, List.of(p));
            for (int k = 0; k < run.steps(); k++) {
                p.setGrad(run.grad[k]);
                opt.step();
                double error = GoldenRun.relativeError(p.values(), run.params[k + 1]);
                if (error > TOLERANCE) {
                    fail(run + ": step " + (k + 1) + " relative error " + error + " > " + TOLERANCE
                            + "; ours " + Arrays.toString(p.values()) + ", torch " + Arrays.toString(run.params[k + 1]));
                }
            }
        }));
    }

    /**
     * With the Java problem's own gradients (which differ from autograd's by a few ulps), the trajectory
     * stays within 1e-4, or within ten times the measured sensitivity of the run where that is larger.
     */
    @TestFactory
    Stream<DynamicTest> endToEndWithJavaGradients() {
        return RUNS.stream().map(run -> DynamicTest.dynamicTest(run.toString(), () -> {
            Problem problem = Problem.byName(run.problem);
            Param p = ParamStore.of("w", problem.defaultInit()).param(0);
            assertArrayEquals(run.params[0], p.values(), "start point of " + run.problem);
            Optimizer opt = Optimizers.create(run.optimizer, List.of(p));
            float[] g = new float[problem.dimension()];
            for (int k = 0; k < run.steps(); k++) {
                problem.gradient(p.values(), g);
                p.setGrad(g);
                opt.step();
                double error = GoldenRun.relativeError(p.values(), run.params[k + 1]);
                if (error > bound(run, k + 1)) {
                    fail(run + ": step " + (k + 1) + " relative error " + error + " > " + bound(run, k + 1)
                            + "; ours " + Arrays.toString(p.values()) + ", torch " + Arrays.toString(run.params[k + 1]));
                }
            }
        }));
    }

    /** The Java problems compute PyTorch's loss at every point PyTorch visited. */
    @Test
    void problemsMatchTorchLoss() {
        for (GoldenRun run : RUNS) {
            Problem problem = Problem.byName(run.problem);
            for (int k = 0; k <= run.steps(); k++) {
                double error = GoldenRun.relativeError(new float[] {problem.loss(run.params[k])}, new float[] {run.loss[k]});
                assertTrue(error <= 1e-5, run + ": loss at step " + k + " is " + problem.loss(run.params[k])
                        + ", torch " + run.loss[k]);
            }
        }
    }

    private static double bound(GoldenRun run, int k) {
        return Math.max(TOLERANCE, 10 * run.sensitivity[k]);
    }

    /**
     * Every replayed step agrees with PyTorch to the last bit: the kernels round where PyTorch's do and
     * fuse multiply-adds where Debian's build fuses them.
     */
    @Test
    void replayIsBitExactAlmostEverywhere() {
        int exact = 0;
        int total = 0;
        List<String> worst = new ArrayList<>();
        for (GoldenRun run : RUNS) {
            Param p = ParamStore.of("w", run.params[0]).param(0);
            Optimizer opt = Optimizers.create(run.optimizer, List.of(p));
            int runExact = 0;
            for (int k = 0; k < run.steps(); k++) {
                p.setGrad(run.grad[k]);
                opt.step();
                if (Arrays.equals(p.values(), run.params[k + 1])) {
                    runExact++;
                }
            }
            exact += runExact;
            total += run.steps();
            if (runExact < run.steps()) {
                worst.add(run.id + ":" + runExact);
            }
        }
        assertEquals(total, exact, exact + " of " + total + " replayed steps are bit-exact; runs with differences (id:exact steps) " + worst);
    }
}
