package dev.descent.optim.transform;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.ParamStore;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.optim.schedule.Schedules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scale_by_schedule}: the factor follows the schedule over the parameter's own step count. */
class ScaleByScheduleTest {
    @Test
    void stepLrHalvesTheStepEveryTwoSteps() {
        ParamStore store = ParamStore.builder().add("w", 1).build();
        Optimizer opt = Optimizers.create("chain(scale_by_schedule(steplr(step_size=2, gamma=0.5)), scale_by_learning_rate(1))",
                store.params());
        float[] expected = {-1, -2, -2.5f, -3, -3.25f};
        for (float e : expected) {
            store.param(0).setGrad(new float[] {1});
            opt.step();
            assertEquals(e, store.data()[0]);
        }
    }

    @Test
    void eachParameterFollowsItsOwnStepCount() {
        ParamStore store = ParamStore.builder().add("a", 1).add("late", 1).build();
        Optimizer opt = Optimizers.create("chain(scale_by_schedule(exponentiallr(gamma=0.5)), scale(-1))", store.params());
        for (int s = 0; s < 3; s++) {
            store.param("a").setGrad(new float[] {1});
            if (s == 2) {
                store.param("late").setGrad(new float[] {1});
            } else {
                store.param("late").zeroGrad(true);
            }
            opt.step();
        }
        assertArrayEquals(new float[] {-1.75f, -1f}, store.data(), "a took 1 + 1/2 + 1/4; late's first step is undecayed");
    }

    @Test
    void aGroupRuleGivesAGroupItsOwnSchedule() {
        ParamStore store = ParamStore.builder().add("w", 1).add("bias", 1).build();
        Optimizer opt = Optimizers.parse("chain(scale_by_schedule(exponentiallr(gamma=0.5)), scale(-1))")
                .build(store.params(), "bias: schedule=constantlr(factor=0.25, total_iters=1)");
        for (int s = 0; s < 2; s++) {
            store.markGradsDefined();
            store.grad()[0] = store.grad()[1] = 1;
            opt.step();
        }
        assertArrayEquals(new float[] {-1.5f, -1.25f}, store.data(), "w: 1 + 1/2; bias: 1/4 + 1");
    }

    @Test
    void theFactorIsTheSchedulersLrForABaseOfOne() {
        String schedule = "sequentiallr(linearlr(start_factor=0.1, total_iters=3), cosineannealinglr(T_max=10), milestones=[3])";
        Scheduler scheduler = Schedules.parse(schedule).start(1.0);
        ParamStore store = ParamStore.builder().add("w", 1).build();
        Optimizer opt = Optimizers.create("chain(scale_by_schedule(" + schedule + "), scale(-1))", store.params());
        double sum = 0;
        for (int s = 0; s < 12; s++) {
            sum += (float) scheduler.lr(0);
            scheduler.step();
            store.param(0).setGrad(new float[] {1});
            opt.step();
            assertEquals(-sum, store.data()[0], 1e-6, "after step " + (s + 1));
        }
    }

    @Test
    void theScheduleIsNamedInTheCanonicalTextAndBadOnesAreRefused() {
        String text = Optimizers.parse("chain(scale_by_schedule(steplr(step_size=3)), scale(-1))").toString();
        assertTrue(text.contains("scale_by_schedule(schedule=steplr(step_size=3"), text);
        assertEquals(text, Optimizers.parse(text).toString());
        for (List<String> bad : List.of(
                List.of("chain(scale_by_schedule(0.5), scale(-1))", "schedule=0.5 is invalid: must be a schedule spec"),
                List.of("chain(scale_by_schedule(steplr(gama=0.5)), scale(-1))", "did you mean 'gamma'"),
                List.of("chain(scale_by_schedule(reducelronplateau), scale(-1))", "follows a metric"),
                List.of("chain(scale_by_schedule(onecyclelr(max_lr=0.1, total_steps=10)), scale(-1))", "cycle_momentum=false"),
                List.of("chain(scale_by_schedule, scale(-1))", "schedule"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse(bad.get(0)), bad.get(0));
            assertTrue(e.getMessage().contains(bad.get(1)), bad.get(0) + ": " + e.getMessage());
        }
    }

    @Test
    void aScheduleThatRunsOutFailsAtTheStepThatNeedsIt() {
        ParamStore store = ParamStore.builder().add("w", 1).build();
        Optimizer opt = Optimizers.create(
                "chain(scale_by_schedule(onecyclelr(max_lr=1, total_steps=3, cycle_momentum=false)), scale(-1))", store.params());
        for (int s = 0; s < 4; s++) {  // s(0) .. s(3), as PyTorch's OneCycleLR allows total_steps scheduler steps
            store.param(0).setGrad(new float[] {1});
            opt.step();
        }
        store.param(0).setGrad(new float[] {1});
        IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
        assertTrue(e.getMessage().contains("total_steps"), e.getMessage());
    }
}
