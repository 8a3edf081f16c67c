package dev.descent.optim;

import dev.descent.optim.problem.Problem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * Options the golden runs of an algorithm leave at their defaults (the runs of other algorithms set them,
     * or PyTorch lacks them: eps_placement is checked by hand in EpsPlacementTest).
     */
    private static final Map<String, Set<String>> NOT_EXERCISED = Map.of("nadam", Set.of("betas", "eps"),
            "adam", Set.of("eps_placement"), "adamw", Set.of("eps_placement"), "rmsprop", Set.of("eps_placement"));

    @Test
    void everyAlgorithmAndOptionIsCovered() {
        assertEquals(220, RUNS.size());
        String all = RUNS.stream().map(r -> r.optimizer).reduce("", String::concat);
        for (String alias : List.of("momentum(", "nag(")) {
            assertTrue(all.contains(alias), "no golden run exercises " + alias);
        }
        for (String name : GoldenRun.FILES) {
            String specs = RUNS.stream().map(r -> r.optimizer).filter(s -> s.startsWith(name + "(")).reduce("", String::concat);
            assertTrue(specs.startsWith(name + "("), "no golden run of " + name);
            for (Hyperparameter h : Optimizers.algorithm(name).hyperparameters()) {
                String needle = h.name() + (h.kind() == Hyperparameter.Kind.FLAG ? "=true" : "=");
                if (!NOT_EXERCISED.getOrDefault(name, Set.of()).contains(h.name())) {
                    assertTrue(specs.contains(needle), "no golden run of " + name + " exercises " + needle);
                }
            }
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
                Map<String, Object> state = opt.stateDict().state().get(0);
                for (Map.Entry<String, float[][]> e : run.state.entrySet()) {
                    float[] ours = (float[]) state.get(e.getKey());
                    float[] torch = e.getValue()[k + 1];
                    double stateError = GoldenRun.relativeError(ours, torch);
                    if (stateError > TOLERANCE) {
                        fail(run + ": state " + e.getKey() + " at step " + (k + 1) + " relative error " + stateError + " > "
                                + TOLERANCE + "; ours " + Arrays.toString(ours) + ", torch " + Arrays.toString(torch));
                    }
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
     * Every replayed step agrees with PyTorch to the last bit, in the point and in any recorded state: the
     * kernels round where PyTorch's do and fuse multiply-adds where Debian's build fuses them.
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
                boolean same = Arrays.equals(p.values(), run.params[k + 1]);
                Map<String, Object> state = opt.stateDict().state().get(0);
                for (Map.Entry<String, float[][]> e : run.state.entrySet()) {
                    same &= Arrays.equals((float[]) state.get(e.getKey()), e.getValue()[k + 1]);
                }
                if (same) {
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
