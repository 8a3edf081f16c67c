package dev.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamStore;
import dev.descent.optim.StateDict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class HyperparameterSchedulesTest {

    /** A store of one 3-element parameter per group, with fixed gradients. */
    private static ParamStore store(int groups) {
        ParamStore.Builder b = ParamStore.builder();
        for (int g = 0; g < groups; g++) {
            b.add("p" + g, 3);
        }
        ParamStore store = b.build();
        for (int i = 0; i < store.data().length; i++) {
            store.data()[i] = 1f + 0.25f * i;
            store.grad()[i] = 0.1f * (i + 1) - 0.4f;
        }
        store.markGradsDefined();
        return store;
    }

    /** An optimizer whose groups have the golden run's base lr and momentum kind. */
    private static Optimizer optimizer(GoldenSchedule run, ParamStore store) {
        List<ParamGroup> groups = new ArrayList<>();
        for (GroupBase base : run.groups) {
            ParamGroup g = ParamGroup.of(store.params().get(base.index())).with("lr", base.lr());
            if (base.momentumKind() == GroupBase.MomentumKind.MOMENTUM) {
                g = g.with("momentum", base.momentum());
            } else if (base.momentumKind() == GroupBase.MomentumKind.BETA1) {
                g = g.with("betas", new double[] {base.momentum(), 0.999});
            }
            groups.add(g);
        }
        String name = switch (run.groups.get(0).momentumKind()) {
            case MOMENTUM -> "sgd(lr=0.1)";
            case BETA1 -> "adam";
            case NONE -> "adagrad";
        };
        return Optimizers.parse(name).buildGroups(groups);
    }

    private static void step(GoldenSchedule run, Optimizer opt, HyperparameterSchedules schedules, int k) {
        opt.step();
        if (run.metrics != null) {
            schedules.step(run.metrics[k - 1]);
        } else {
            schedules.step();
        }
    }

    /**
     * For every schedule PyTorch was recorded on (nested ones included), an optimizer saved in the middle of
     * its schedule and loaded into a fresh one continues with exactly the learning rates, momenta and
     * parameters of the uninterrupted run; and the rates the optimizer's groups hold are the recorded ones.
     */
    @TestFactory
    Stream<DynamicTest> resumeInTheMiddleOfEverySchedule() {
        return GoldenSchedule.load().stream().map(run -> DynamicTest.dynamicTest(run.id, () -> {
            int steps = run.steps;
            ParamStore a = store(run.groups.size());
            Optimizer straight = optimizer(run, a);
            HyperparameterSchedules sa = HyperparameterSchedules.attach(straight).follow("lr", run.schedule);
            List<float[]> params = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int k = 1; k <= steps; k++) {
                try {
                    step(run, straight, sa, k);
                } catch (IllegalArgumentException e) {
                    // OneCycleLR's last recorded step extrapolates to a negative lr, which an optimizer refuses.
                    assertTrue(e.getMessage().contains("rejects"), e.getMessage());
                    steps = k - 1;
                    break;
                }
                params.add(a.data().clone());
                values.add(render(sa));
                int row = Arrays.binarySearch(run.recordedSteps, k);
                if (row >= 0) {
                    for (int g = 0; g < run.groups.size(); g++) {
                        double want = run.lr[row][g];
                        double got = straight.paramGroups().get(g).lr();
                        assertTrue(Math.abs(got - want) <= 1e-9 * Math.max(Math.abs(want), 1e-12),
                                run + " step " + k + " group " + g + ": lr " + got + ", PyTorch " + want);
                    }
                }
            }

            int at = steps / 2;
            ParamStore b = store(run.groups.size());
            Optimizer first = optimizer(run, b);
            HyperparameterSchedules sb = HyperparameterSchedules.attach(first).follow("lr", run.schedule);
            for (int k = 1; k <= at; k++) {
                step(run, first, sb, k);
            }
            StateDict saved = first.stateDict();

            ParamStore c = store(run.groups.size());
            System.arraycopy(b.data(), 0, c.data(), 0, b.data().length);
            Optimizer resumed = optimizer(run, c);
            HyperparameterSchedules sc = HyperparameterSchedules.attach(resumed).follow("lr", run.schedule);
            resumed.loadStateDict(saved);
            assertEquals(at, sc.stepCount());
            for (int k = at + 1; k <= steps; k++) {
                step(run, resumed, sc, k);
                if (!Arrays.equals(params.get(k - 1), c.data()) || !values.get(k - 1).equals(render(sc))) {
                    fail(run + ": resumed at step " + at + ", step " + k + " gives " + render(sc) + " "
                            + Arrays.toString(c.data()) + " instead of " + values.get(k - 1) + " "
                            + Arrays.toString(params.get(k - 1)));
                }
            }
        }));
    }

    private static String render(HyperparameterSchedules s) {
        StringBuilder out = new StringBuilder();
        s.values().forEach((k, v) -> out.append(k).append('=').append(Arrays.toString(v)).append(' '));
        return out.toString().trim();
    }

    @Test
    void anyRealHyperparameterFollowsASchedule() {
        ParamStore store = store(1);
        Optimizer adamw = Optimizers.create("adamw(lr=0.01, weight_decay=0.1, betas=(0.9, 0.99))", store.params());
        HyperparameterSchedules s = HyperparameterSchedules.attach(adamw)
                .follow("weight_decay", Schedules.parse("steplr(step_size=2, gamma=0.5)"))
                .follow("Beta1", Schedules.parse("linearlr(start_factor=0.5, end_factor=1.0, total_iters=4)"));
        ParamGroup g = adamw.paramGroups().get(0);
        assertEquals(0.1, g.real("weight_decay"));
        assertEquals(0.45, g.real("betas", 0), 1e-15);
        assertEquals(0.99, g.real("betas", 1));
        for (int k = 0; k < 4; k++) {
            adamw.step();
            s.step();
        }
        assertEquals(0.025, g.real("weight_decay"), 1e-15);
        assertEquals(0.9, g.real("betas", 0), 1e-15);
        assertEquals(0.01, g.lr());
        assertArrayEquals(new double[] {0.025}, s.values().get("weight_decay"), 1e-15);
        assertEquals(List.of("weight_decay", "beta1"), s.keys());
        assertEquals(4, s.stepCount());
    }

    @Test
    void aCycledMomentumIsSetAndReportedAndCannotFollowASecondSchedule() {
        ParamStore store = store(1);
        Optimizer sgd = Optimizers.create("sgd(lr=0.1, momentum=0.9)", store.params());
        HyperparameterSchedules s = HyperparameterSchedules.attach(sgd)
                .follow("lr", Schedules.parse("onecyclelr(max_lr=1.0, total_steps=10)"));
        assertEquals(0.95, sgd.paramGroups().get(0).real("momentum"), 1e-12);
        assertTrue(s.values().containsKey("momentum"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.follow("momentum", Schedules.parse("steplr(step_size=1)")));
        assertTrue(e.getMessage().contains("cycles it"), e.getMessage());
    }

    @Test
    void badKeysAreNamedWithTheValidOnes() {
        Optimizer adam = Optimizers.create("adam", store(1).params());
        HyperparameterSchedules s = HyperparameterSchedules.attach(adam);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.follow("weight_dacay", Schedules.parse("steplr(step_size=1)")));
        assertTrue(e.getMessage().contains("did you mean 'weight_decay'"), e.getMessage());
        assertTrue(e.getMessage().contains("beta1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.follow("amsgrad", Schedules.parse("steplr(step_size=1)")));
        assertTrue(e.getMessage().contains("amsgrad"), e.getMessage());
        s.follow("lr", Schedules.parse("steplr(step_size=1)"));
        e = assertThrows(IllegalArgumentException.class, () -> s.follow("LR", Schedules.parse("steplr(step_size=1)")));
        assertTrue(e.getMessage().contains("already"), e.getMessage());
    }

    @Test
    void aValueTheOptimizerRejectsNamesTheScheduleAndStep() {
        Optimizer adam = Optimizers.create("adam(betas=(0.3, 0.999))", store(1).params());
        HyperparameterSchedules s = HyperparameterSchedules.attach(adam)
                .follow("beta1", Schedules.parse("exponentiallr(gamma=2.0)"));
        s.step();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::step);
        assertTrue(e.getMessage().contains("at step 2"), e.getMessage());
    }

    @Test
    void loadingNeedsTheSameSchedulesAttached() {
        Optimizer with = Optimizers.create("sgd(lr=0.1)", store(1).params());
        HyperparameterSchedules.attach(with).follow("lr", Schedules.parse("steplr(step_size=1)"));
        with.step();
        StateDict saved = with.stateDict();

        Optimizer without = Optimizers.create("sgd(lr=0.1)", store(1).params());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> without.loadStateDict(saved));
        assertTrue(e.getMessage().contains("schedules"), e.getMessage());

        Optimizer other = Optimizers.create("sgd(lr=0.1)", store(1).params());
        HyperparameterSchedules.attach(other).follow("lr", Schedules.parse("exponentiallr(gamma=0.5)"));
        e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(saved));
        assertTrue(e.getMessage().contains("steplr"), e.getMessage());
        assertEquals(0.1, other.lr(), "a failed load leaves the optimizer as it was");
    }
}
