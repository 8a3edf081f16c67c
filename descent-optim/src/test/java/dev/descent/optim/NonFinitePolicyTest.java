package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three answers to a NaN or infinite gradient, on every registered optimizer and on L-BFGS's closure steps. */
class NonFinitePolicyTest {
    private static final float[] A = {0.5f, -1f};
    private static final float[] B = {2f, 0.25f, -3f};

    private static ParamStore store() {
        ParamStore s = ParamStore.builder().add("a", 2).add("layer.b", 3).build();
        s.param(0).set(A);
        s.param(1).set(B);
        return s;
    }

    private static Optimizer build(String name, ParamStore s) {
        boolean lrRequired = Optimizers.algorithm(name).hyperparameter("lr").required();
        return Optimizers.create(lrRequired ? name + "(lr=0.1)" : name, s.params());
    }

    private static void goodGradients(ParamStore s) {
        s.param(0).setGrad(0.3f, -0.2f);
        s.param(1).setGrad(1f, -0.5f, 0.125f);
    }

    @Test
    void propagateIsPyTorchsDefault() {
        ParamStore s = store();
        Optimizer opt = build("sgd", s);
        assertEquals(NonFinitePolicy.PROPAGATE, opt.nonFinitePolicy());
        s.param(0).setGrad(0.3f, -0.2f);
        s.param(1).setGrad(1f, Float.NaN, 0f);
        opt.step();
        assertTrue(Float.isNaN(s.param(1).values()[1]));
        assertEquals(0, opt.skippedSteps());
    }

    /** A skipped step leaves values and state alone, so the run goes on as if the step had never been asked for. */
    @Test
    void skipLeavesEveryOptimizerUntouchedAndCounts() {
        for (String name : Optimizers.names()) {
            if (name.equals("lbfgs") || !isAlgorithm(name)) {
                continue;
            }
            ParamStore s = store();
            Optimizer opt = build(name, s);
            opt.setNonFinitePolicy(NonFinitePolicy.SKIP);
            goodGradients(s);
            opt.step();
            float[] values = s.data().clone();
            Map<Integer, Map<String, Object>> state = opt.stateDict().state();
            s.param(0).setGrad(0.3f, -0.2f);
            s.param(1).setGrad(1f, -0.5f, Float.NEGATIVE_INFINITY);
            opt.step();
            assertArrayEquals(values, s.data(), name);
            assertEquals(state.get(0).get("step"), opt.stateDict().state().get(0).get("step"), name);
            assertEquals(1, opt.skippedSteps(), name);

            ParamStore t = store();
            Optimizer twin = build(name, t);
            goodGradients(t);
            twin.step();
            goodGradients(s);
            goodGradients(t);
            opt.step();
            twin.step();
            assertArrayEquals(t.data(), s.data(), name + ": the step after a skipped one");
        }
    }

    @Test
    void stopNamesTheParameterTheElementAndTheValue() {
        for (String name : Optimizers.names()) {
            if (name.equals("lbfgs") || !isAlgorithm(name)) {
                continue;
            }
            ParamStore s = store();
            Optimizer opt = build(name, s);
            opt.setNonFinitePolicy(NonFinitePolicy.STOP);
            s.param(0).setGrad(0.3f, -0.2f);
            s.param(1).setGrad(1f, Float.NaN, Float.POSITIVE_INFINITY);
            ArithmeticException e = assertThrows(ArithmeticException.class, opt::step, name);
            assertTrue(e.getMessage().contains("parameter 'layer.b' [3] holds NaN at element 1"), e.getMessage());
            assertArrayEquals(A, s.param(0).values(), name);
            assertArrayEquals(B, s.param(1).values(), name);
            assertTrue(opt.stateDict().state().isEmpty(), name);
        }
    }

    /** A parameter without a gradient is not checked (its stale array may hold anything). */
    @Test
    void parametersWithoutGradientAreNotChecked() {
        ParamStore s = store();
        Optimizer opt = build("adam", s);
        opt.setNonFinitePolicy(NonFinitePolicy.STOP);
        s.grad()[3] = Float.NaN;
        s.param(0).setGrad(0.3f, -0.2f);
        opt.step();
        assertArrayEquals(B, s.param(1).values());
    }

    @Test
    void lbfgsSkipsOrStopsTheWholeStepEvenInTheLineSearch() {
        for (NonFinitePolicy policy : List.of(NonFinitePolicy.SKIP, NonFinitePolicy.STOP)) {
            ParamStore s = store();
            Optimizer opt = Optimizers.create("lbfgs(max_iter=2, max_eval=10, line_search_fn=\"strong_wolfe\")", s.params());
            opt.setNonFinitePolicy(policy);
            opt.step(closure(s, -1));
            float[] values = s.data().clone();
            Map<Integer, Map<String, Object>> state = opt.stateDict().state();
            Optimizer.Closure bad = closure(s, 2);
            if (policy == NonFinitePolicy.SKIP) {
                opt.step(bad);
                assertEquals(1, opt.skippedSteps());
            } else {
                ArithmeticException e = assertThrows(ArithmeticException.class, () -> opt.step(bad));
                assertTrue(e.getMessage().startsWith("lbfgs: the gradient of parameter 'a' [2] holds Infinity at element 0"),
                        e.getMessage());
            }
            assertArrayEquals(values, s.data(), policy.toString());
            assertEquals(state.get(0).get("func_evals"), opt.stateDict().state().get(0).get("func_evals"));
            assertArrayEquals((float[]) state.get(1).get("prev_flat_grad"),
                    (float[]) opt.stateDict().state().get(1).get("prev_flat_grad"));
        }
    }

    /** The quadratic 0.5 sum c_i w_i^2 over the store, whose gradient turns infinite at evaluation {@code badCall} (from 0). */
    private static Optimizer.Closure closure(ParamStore s, int badCall) {
        int[] calls = {0};
        return () -> {
            float loss = 0;
            for (int i = 0; i < s.size(); i++) {
                float c = 1 + 10 * i;
                s.grad()[i] = c * s.data()[i];
                loss += 0.5f * c * s.data()[i] * s.data()[i];
            }
            if (calls[0]++ == badCall) {
                s.grad()[0] = Float.POSITIVE_INFINITY;
            }
            s.markGradsDefined();
            return loss;
        };
    }

    @Test
    void theFastCheckFindsEveryPositionInEveryLength() {
        for (int n = 0; n < 11; n++) {
            float[] a = new float[n + 2];
            assertTrue(NonFinitePolicy.allFinite(a, 1, n + 1));
            for (int i = 1; i <= n; i++) {
                for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    a[i] = bad;
                    assertFalse(NonFinitePolicy.allFinite(a, 1, n + 1), n + " " + i + " " + bad);
                    a[i] = Float.MAX_VALUE;
                    assertTrue(NonFinitePolicy.allFinite(a, 1, n + 1));
                }
            }
            a[0] = Float.NaN;
            a[n + 1] = Float.NaN;
            assertTrue(NonFinitePolicy.allFinite(a, 1, n + 1), "outside the range");
        }
    }

    private static boolean isAlgorithm(String name) {
        try {
            Optimizers.algorithm(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
