package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Param;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedules PyTorch lacks (Keras's, the warm-up, inverse square root) against values worked out by hand,
 * and the registry, validation and state handling of all of them.
 */
class ScheduleTest {
    private static final double EPS = 1e-15;

    /** The lr of group 0 after each of steps 0..n (metrics, when given, feed ReduceLROnPlateau). */
    private static double[] lrs(String spec, double baseLr, int n, double... metrics) {
        Scheduler s = Schedules.parse(spec).start(List.of(GroupBase.withMomentum(0, baseLr, 0.9)));
        double[] out = new double[n + 1];
        out[0] = s.lr(0);
        for (int k = 1; k <= n; k++) {
            if (metrics.length > 0) {
                s.step(metrics[k - 1]);
            } else {
                s.step();
            }
            out[k] = s.lr(0);
        }
        return out;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-14 + EPS, what);
    }

    @Test
    void piecewiseConstantDecayIsKerasLookup() {
        double[] v = lrs("piecewiseconstantdecay(boundaries=[10, 20], values=[1.0, 0.5, 0.1])", 123.0, 30);
        for (int k = 0; k <= 30; k++) {
            double expected = k <= 10 ? 1.0 : k <= 20 ? 0.5 : 0.1;
            assertEquals(expected, v[k], "step " + k + ": a boundary step still uses the value before it; the group's lr is ignored");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("piecewiseconstantdecay(boundaries=[10, 20], values=[1.0, 0.5])"));
        assertTrue(e.getMessage().contains("values=[1, 0.5]") && e.getMessage().contains("one more value"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("piecewise_constant_decay(boundaries=[20, 10], values=[1.0, 0.5, 0.1])"));
    }

    @Test
    void inverseTimeDecayIsKerasFormula() {
        double[] v = lrs("inversetimedecay(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)", 7.0, 20);
        assertClose(0.1, v[0], "step 0");
        assertClose(0.1 / 1.25, v[5], "step 5: 0.1 / (1 + 0.5 * 5/10)");
        assertClose(0.1 / 1.5, v[10], "step 10");
        assertClose(0.1 / 2.0, v[20], "step 20");
        double[] stairs = lrs("inversetimedecay(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=true)", 7.0, 20);
        assertEquals(0.1, stairs[9], "staircase holds until the next multiple of decay_steps");
        assertClose(0.1 / 1.5, stairs[10], "staircase step 10");
        assertClose(0.1 / 1.5, stairs[19], "staircase step 19");
        double[] fromBase = lrs("inversetimedecay(decay_steps=4, decay_rate=1)", 0.2, 8);
        assertClose(0.2 / 3, fromBase[8], "without initial_learning_rate the group's base lr is used");
    }

    @Test
    void inverseSqrtWarmsUpThenDecays() {
        double[] v = lrs("inversesqrt(warmup_steps=4)", 0.1, 100);
        assertEquals(0.0, v[0], "start_factor 0: the first step uses lr 0");
        assertClose(0.025, v[1], "step 1");
        assertClose(0.05, v[2], "step 2");
        assertClose(0.1, v[4], "peak at warmup_steps");
        assertClose(0.05, v[16], "0.1 * sqrt(4/16)");
        assertClose(0.02, v[100], "0.1 * sqrt(4/100)");
        double[] s = lrs("inverse_sqrt(warmup_steps=10, start_factor=0.5)", 1.0, 10);
        assertClose(0.5, s[0], "start_factor");
        assertClose(0.75, s[5], "halfway");
        assertClose(1.0, s[10], "peak");
    }

    @Test
    void linearWarmupRampsToTheScheduleThenRunsIt() {
        double[] v = lrs("linearwarmup(steplr(step_size=10, gamma=0.5), warmup_steps=4, start_factor=0.2)", 0.1, 30);
        double[] expected = {0.02, 0.04, 0.06, 0.08, 0.1};
        for (int k = 0; k <= 4; k++) {
            assertClose(expected[k], v[k], "warm-up step " + k);
        }
        assertClose(0.1, v[13], "the schedule at its step 9");
        assertClose(0.05, v[14], "the schedule at its step 10");
        assertClose(0.025, v[24], "the schedule at its step 20");

        double[] cyclic = lrs("linearwarmup(cycliclr(base_lr=0.01, max_lr=0.1, step_size_up=5), warmup_steps=2)", 7.0, 4);
        assertClose(0.0, cyclic[0], "ramps from 0...");
        assertClose(0.005, cyclic[1], "...to the schedule's first value, CyclicLR's base_lr");
        assertClose(0.01, cyclic[2], "CyclicLR step 0");
        assertClose(0.028, cyclic[3], "CyclicLR step 1");

        String inner = "cosineannealinglr(T_max=10, eta_min=0.01)";
        assertArrayEquals(lrs(inner, 0.1, 30), lrs("linearwarmup(" + inner + ", warmup_steps=0)", 0.1, 30), "no warm-up");

        Scheduler onecycle = Schedules.parse("linearwarmup(onecyclelr(max_lr=1.0, total_steps=20), warmup_steps=3)")
                .start(List.of(GroupBase.withBeta1(0, 0.001, 0.9)));
        assertTrue(onecycle.schedule().cyclesMomentum());
        assertClose(0.95, onecycle.momentum(0), "during the warm-up the momentum is the schedule's first, max_momentum");
    }

    @Test
    void linearWarmupInFrontOfReduceLrOnPlateau() {
        Schedule s = Schedules.parse("linearwarmup(reducelronplateau(patience=0, factor=0.5), warmup_steps=2)");
        assertTrue(s.needsMetric());
        Scheduler run = s.start(0.1);
        assertThrows(IllegalStateException.class, run::step, "the metric is required even during the warm-up");
        double[] v = lrs("linearwarmup(reducelronplateau(patience=0, factor=0.5), warmup_steps=2)", 0.1, 5,
                9.0, 9.0, 8.0, 8.0, 8.0);
        assertClose(0.0, v[0], "warm-up");
        assertClose(0.05, v[1], "warm-up");
        assertClose(0.1, v[2], "the plateau schedule at its start (the warm-up's metrics are ignored)");
        assertClose(0.1, v[3], "8.0 is the first metric it sees: an improvement");
        assertClose(0.05, v[4], "no improvement and patience 0: halved");
        assertClose(0.025, v[5], "halved again");
    }

    @Test
    void sequentialLrNestedAfterAMilestoneStartsOnItsOwnClock() {
        // PyTorch 1.13 cannot do this (its SequentialLR.step() takes no epoch); here the nested one starts at step 5.
        double[] v = lrs("sequentiallr(constantlr(factor=0.5, total_iters=100), sequentiallr(exponentiallr(gamma=0.5), "
                + "linearlr(start_factor=0.25, total_iters=4), milestones=[3]), milestones=[5])", 1.0, 12);
        double[] expected = {0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 0.25, 0.25, 0.4375, 0.625, 0.8125, 1.0};
        for (int k = 0; k <= 12; k++) {
            assertClose(expected[k], v[k], "step " + k);
        }
        double[] chained = lrs("sequentiallr(constantlr(factor=0.5, total_iters=100), chainedscheduler(constantlr(factor=0.1, "
                + "total_iters=2), exponentiallr(gamma=0.9)), milestones=[3])", 1.0, 6);
        double[] chainedExpected = {0.5, 0.5, 0.5, 0.1, 0.09, 0.81, 0.729};
        for (int k = 0; k <= 6; k++) {
            assertClose(chainedExpected[k], chained[k], "a ChainedScheduler after a milestone restarts from the base lr, step " + k);
        }
    }

    @Test
    void multiplicativeLrResumesFromItsSavedLrWithoutReplayingTheFunction() {
        AtomicLong calls = new AtomicLong();
        Schedule s = new MultiplicativeLr(k -> {
            calls.incrementAndGet();
            return 0.9;
        });
        Scheduler first = s.start(1.0);
        for (int k = 0; k < 50; k++) {
            first.step();
        }
        Map<String, Object> state = first.state();
        assertTrue(state.containsKey("lr"), "the product of past factors is saved: " + state.keySet());
        calls.set(0);
        Scheduler resumed = s.start(1.0);
        resumed.load(state);
        assertEquals(0, calls.get(), "loading does not call the function for the past steps");
        resumed.step();
        first.step();
        assertEquals(first.lr(0), resumed.lr(0));
        assertEquals(51, resumed.stepCount());
    }

    @Test
    void pureSchedulesSaveOnlyTheStepCount() {
        Scheduler s = Schedules.parse("cosineannealinglr(T_max=10)").start(0.1);
        s.step();
        assertEquals(List.of("schedule", "base_lr", "base_momentum", "step"), new ArrayList<>(s.state().keySet()));
        Scheduler p = Schedules.parse("reducelronplateau").start(0.1);
        p.step(1.0);
        assertEquals(List.of("schedule", "base_lr", "base_momentum", "step", "lr", "best", "num_bad_epochs", "cooldown_counter"),
                new ArrayList<>(p.state().keySet()));
    }

    @Test
    void loadRejectsAnotherScheduleOrGroupCount() {
        Scheduler a = Schedules.parse("steplr(step_size=10)").start(0.1);
        Map<String, Object> state = a.state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("steplr(step_size=5)").start(0.1).load(state));
        assertTrue(e.getMessage().contains("steplr(step_size=10, gamma=0.1)"), e.getMessage());
        Scheduler two = Schedules.parse("steplr(step_size=10)").start(List.of(GroupBase.of(0, 0.1), GroupBase.of(1, 0.2)));
        e = assertThrows(IllegalArgumentException.class, () -> two.load(state));
        assertTrue(e.getMessage().contains("base_lr must hold 2 numbers"), e.getMessage());
        Map<String, Object> noStep = new java.util.LinkedHashMap<>(state);
        noStep.remove("step");
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("steplr(step_size=10)").start(0.1).load(noStep));
        assertTrue(e.getMessage().contains("step is missing"), e.getMessage());
        Scheduler withMomentum = Schedules.parse("steplr(step_size=10)").start(List.of(GroupBase.withMomentum(0, 0.1, 0.9)));
        assertThrows(IllegalArgumentException.class, () -> withMomentum.load(state), "NaN momentum for a group that has one");
    }

    @Test
    void oneCycleLrStopsAfterTotalStepsAsPyTorchDoes() {
        Scheduler s = Schedules.parse("onecyclelr(max_lr=0.1, total_steps=10)").start(List.of(GroupBase.withMomentum(0, 0.5, 0.9)));
        for (int k = 0; k < 10; k++) {
            s.step();
        }
        double last = s.lr(0);
        assertTrue(last > 4e-7, "at k = total_steps the cos phase extrapolates back up from min_lr: " + last);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("Tried to step 12 times. The specified number of total steps is 10"), e.getMessage());
        assertEquals(10, s.stepCount(), "a failed step changes nothing");
        assertEquals(last, s.lr(0));

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("onecyclelr(max_lr=1, total_steps=10, pct_start=0.1)"));
        assertTrue(zero.getMessage().contains("zero steps long"), zero.getMessage());
        Scheduler full = Schedules.parse("onecyclelr(max_lr=1, total_steps=10, pct_start=1.0, cycle_momentum=false)").start(0.1);
        for (int k = 0; k < 9; k++) {
            full.step();
        }
        assertThrows(IllegalStateException.class, full::step, "pct_start=1: step total_steps falls in an empty phase");
    }

    @Test
    void momentumCyclingNeedsAMomentum() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("onecyclelr(max_lr=0.1, total_steps=100)").start(0.1));
        assertTrue(e.getMessage().contains("cycle_momentum=false"), e.getMessage());
        Scheduler ok = Schedules.parse("onecyclelr(max_lr=0.1, total_steps=100, cycle_momentum=false)").start(0.1);
        assertTrue(Double.isNaN(ok.momentum(0)));
        Scheduler adam = Schedules.parse("onecyclelr(max_lr=0.1, total_steps=100)").start(List.of(GroupBase.withBeta1(0, 0.1, 0.9)));
        assertClose(0.95, adam.momentum(0), "OneCycleLR overrides beta1 from step 0");
        Scheduler sgd = Schedules.parse("cycliclr(base_lr=0.01, max_lr=0.1, step_size_up=4)").start(List.of(GroupBase.withMomentum(0, 0.1, 0)));
        sgd.step();
        assertClose(0.875, sgd.momentum(0), "CyclicLR cycles even a momentum of 0 (PyTorch switches SGD's momentum on)");
    }

    @Test
    void registryNamesKeysAndMessages() {
        assertEquals(17, Schedules.names().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("steplrr(step_size=3)"));
        assertTrue(e.getMessage().contains("unknown schedule 'steplrr'; did you mean 'steplr'?"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("steplr(step_sise=3)"));
        assertTrue(e.getMessage().contains("unknown key for steplr 'step_sise'; did you mean 'step_size'?"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("cosineannealinglr(eta_min=0.1)"));
        assertTrue(e.getMessage().contains("T_max is required"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("steplr(step_size=2.5)"));
        assertTrue(e.getMessage().contains("step_size=2.5 is not an integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("steplr(step_size=0)"));
        assertTrue(e.getMessage().contains("steplr: step_size=0 is invalid: must be an integer >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("exponentiallr(0.9)"));
        assertTrue(e.getMessage().contains("takes only key=value arguments"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("lambdalr"));
        assertTrue(e.getMessage().contains("Java API only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("steplr(step_size=3, last_epoch=7)"));
        assertTrue(e.getMessage().contains("load the scheduler's saved state"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("chainedscheduler(sequentiallr(constantlr, exponentiallr(gamma=0.9), milestones=[2]))"));
        assertTrue(e.getMessage().contains("cannot be chained"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("sequentiallr(constantlr, reducelronplateau, milestones=[2])"));
        assertTrue(e.getMessage().contains("linearwarmup(reducelronplateau"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse("sequentiallr(constantlr, steplr(step_size=2), milestones=[0])"));
        assertTrue(e.getMessage().contains("strictly increasing and >= 1"), e.getMessage());

        assertEquals(new StepLr(3, 0.1), Schedules.parse("Step_LR(STEP_SIZE=3, verbose=true, last_epoch=-1)"),
                "names ignore case and underscores, keys ignore case; verbose and last_epoch=-1 are accepted");
        assertEquals(Schedules.parse("sequentiallr(schedulers=[constantlr, steplr(step_size=2)], milestones=[3])"),
                Schedules.parse("sequentiallr(constantlr, steplr(step_size=2), milestones=[3])"), "PyTorch's schedulers= form");
        assertEquals(Schedules.parse("onecyclelr(max_lr=0.1, total_steps=60)"),
                Schedules.parse("onecyclelr(max_lr=0.1, epochs=6, steps_per_epoch=10)"));
    }

    /** Every spec renders back to text that parses to an equal schedule. */
    @Test
    void toStringParsesBack() {
        List<String> specs = new ArrayList<>();
        GoldenSchedule.load().stream().filter(r -> r.spec != null).forEach(r -> specs.add(r.spec));
        specs.addAll(List.of("piecewiseconstantdecay(boundaries=[10, 20], values=[1.0, 0.5, 0.1])",
                "inversetimedecay(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=true)",
                "inversetimedecay(decay_steps=2.5, decay_rate=1)", "inversesqrt(warmup_steps=4000)",
                "linearwarmup(onecyclelr(max_lr=[0.1, 0.2], total_steps=100), warmup_steps=5, start_factor=0.1)",
                "linearwarmup(reducelronplateau(mode=max, min_lr=[0, 1e-5]), warmup_steps=3)"));
        for (String text : specs) {
            Schedule s = Schedules.parse(text);
            assertEquals(s, Schedules.parse(s.toString()), text + " rendered as " + s);
        }
        assertEquals("steplr(step_size=10, gamma=0.5)", Schedules.parse("steplr(step_size=10, gamma=0.5)").toString());
    }

    @Test
    void groupBasesFromAnOptimizer() {
        Param w = ParamStore.of("w", 1f, 2f).param(0);
        Param b = ParamStore.of("b", 3f).param(0);
        Optimizer sgd = Optimizers.parse("sgd(lr=0.1, momentum=0.9)").buildGroups(List.of(ParamGroup.of(w), ParamGroup.of(b).with("lr", 0.01)));
        assertEquals(List.of(GroupBase.withMomentum(0, 0.1, 0.9), GroupBase.withMomentum(1, 0.01, 0.9)), GroupBase.of(sgd));
        assertEquals(List.of(GroupBase.withBeta1(0, 0.001, 0.8)), GroupBase.of(Optimizers.parse("adam(betas=(0.8, 0.99))").build(List.of(w))));
        GroupBase adagrad = GroupBase.of(Optimizers.parse("adagrad(lr=0.5)").build(List.of(w))).get(0);
        assertFalse(adagrad.hasMomentum());
        assertTrue(Double.isNaN(adagrad.momentum()));
    }
}
