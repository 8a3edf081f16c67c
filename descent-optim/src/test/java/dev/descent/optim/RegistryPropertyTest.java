package dev.descent.optim;

import dev.descent.optim.schedule.GroupBase;
import dev.descent.optim.schedule.Schedule;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.transform.Transforms;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.descent.optim.StateDictTest.assertBitIdentical;
import static dev.descent.optim.StateDictTest.normalize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One law over the whole registry, so that every optimizer and schedule added later is held to it without
 * anyone remembering to: build it, step it a few times, save, load into a fresh instance, and step both on;
 * the parameters (and, for schedules, the learning rates) are bit-identical.
 *
 * <p>Every name in {@link Optimizers#names()}, {@link Transforms#names()} (inside a chain) and {@link Schedules#names()} is tried with its sample spec from
 * {@link #OPTIMIZERS} or {@link #SCHEDULES}, or else with the name alone (its defaults). A name that has no
 * sample and cannot be built with defaults fails, asking for a sample. The parameters are those of
 * {@link StateDictTest}: two groups, odd sizes, a parameter that starts late, one that skips steps and one
 * never stepped. Steps go through {@link Optimizer#step(Optimizer.Closure)} with a closure that writes the
 * gradient of a quadratic plus a step-dependent linear term, so methods that re-evaluate (L-BFGS) work too.
 */
class RegistryPropertyTest {
    private static final int BEFORE = 6;
    private static final int AFTER = 7;

    /** A sample spec per optimizer name: one that exercises its state, or that the name needs to build. */
    static final Map<String, String> OPTIMIZERS = Map.ofEntries(
            Map.entry("sgd", "sgd(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)"),
            Map.entry("momentum", "momentum(lr=0.05)"),
            Map.entry("nag", "nag(lr=0.05)"),
            Map.entry("adam", "adam(lr=0.01, amsgrad=true)"),
            Map.entry("rmsprop", "rmsprop(lr=0.01, centered=true, momentum=0.5)"),
            Map.entry("asgd", "asgd(lr=0.05, t0=3)"),
            Map.entry("lookahead", "lookahead(adam(lr=0.01), k=4, alpha=0.5)"),
            Map.entry("ema", "ema(sgd(lr=0.05, momentum=0.9), decay=0.9)"),
            Map.entry("swa", "swa(adam(lr=0.01), swa_start=3, swa_lr=0.002, anneal_steps=5, swa_freq=2)"),
            Map.entry("chain", "chain(clip_by_global_norm(1.0), scale_by_adam(amsgrad=true), trace(momentum=0.5), "
                    + "add_decayed_weights(0.01), scale_by_learning_rate(0.01))"));

    /** Specs beyond one per name: wrappers inside wrappers. */
    static final List<String> MORE_OPTIMIZERS = List.of(
            "lookahead(ema(nag(lr=0.05), decay=0.5), k=2)",
            "ema(ema(adam(lr=0.01), decay=0.5), decay=0.9)",
            "swa(lookahead(sgd(lr=0.1), k=3, alpha=0.8), swa_start=2, swa_lr=0.05, anneal_strategy=linear)",
            "lookahead(chain(scale_by_rms(centered=true), trace(momentum=0.9, nesterov=true), scale(-0.01)), k=3)",
            "chain(apply_if_finite(2), add_decayed_weights(0.01), scale_by_nadam(), scale_by_schedule(steplr(step_size=3, gamma=0.5)), "
                    + "scale_by_learning_rate(0.01))",
            "chain(scale_by_adam(eps=1e-6), add_decayed_weights(0.01), scale_by_trust_ratio(), scale_by_learning_rate(0.01))",
            "chain(scale_by_lars(weight_decay=0.01, trust_coefficient=0.1), trace(momentum=0.9), scale_by_learning_rate(0.1))",
            "chain(scale_by_lion(), add_decayed_weights(0.1), scale_by_learning_rate(0.001))",
            "chain(scale_by_radam(betas=(0.8, 0.9)), trace(0.5), scale_by_learning_rate(0.01))",
            "chain(scale(-1), scale_by_rprop(lr=0.01), scale(-1))",
            "chain(add_decayed_weights(0.01), scale_by_adam(amsgrad=true, eps_placement=\"keras\"), scale_by_learning_rate(0.01))",
            "chain(clip(1.0), scale_by_ftrl(l1_regularization_strength=0.01, learning_rate_power=-0.6), scale_by_learning_rate(0.1))",
            "chain(add_decayed_weights(0.01), scale_by_asgd(t0=3), scale_by_learning_rate(0.05))",
            "chain(scale_by_rms(bias_correction=true, eps_placement=\"keras\"), add_decayed_weights(0.01), "
                    + "schedule_free(b1=0.8, warmup_steps=2), scale_by_learning_rate(0.05))",
            "chain(scale_by_muon(ns_steps=3), add_decayed_weights(0.01), scale_by_learning_rate(0.02))",
            "chain(scale_by_factored_rms(), add_decayed_weights(0.01), scale_by_param_block_rms(), "
                    + "scale_by_relative_step(warmup_init=true), scale_by_learning_rate(0.01))",
            "chain(scale_by_factored_rms(clip_threshold=0.5), scale_by_param_block_rms(), scale_by_learning_rate(0.01, flip_sign=false), "
                    + "ema(0.9, debias=false), scale(-1))");

    /** A sample spec per schedule name, short enough to move within {@code BEFORE + AFTER} steps. */
    static final Map<String, String> SCHEDULES = Map.ofEntries(
            Map.entry("steplr", "steplr(step_size=3, gamma=0.5)"),
            Map.entry("multisteplr", "multisteplr(milestones=[2, 5, 9], gamma=0.5)"),
            Map.entry("constantlr", "constantlr(factor=0.5, total_iters=8)"),
            Map.entry("linearlr", "linearlr(start_factor=0.2, total_iters=9)"),
            Map.entry("exponentiallr", "exponentiallr(gamma=0.9)"),
            Map.entry("polynomiallr", "polynomiallr(total_iters=10, power=2)"),
            Map.entry("cosineannealinglr", "cosineannealinglr(T_max=10, eta_min=0.01)"),
            Map.entry("cosineannealingwarmrestarts", "cosineannealingwarmrestarts(T_0=3, T_mult=2)"),
            Map.entry("cycliclr", "cycliclr(base_lr=0.01, max_lr=0.1, step_size_up=4)"),
            Map.entry("onecyclelr", "onecyclelr(max_lr=0.5, total_steps=20)"),
            Map.entry("sequentiallr", "sequentiallr(linearlr(start_factor=0.1, total_iters=3), cosineannealinglr(T_max=10), milestones=[3])"),
            Map.entry("chainedscheduler", "chainedscheduler(constantlr(factor=0.5, total_iters=3), exponentiallr(gamma=0.9))"),
            Map.entry("reducelronplateau", "reducelronplateau(patience=1, factor=0.5)"),
            Map.entry("piecewiseconstantdecay", "piecewiseconstantdecay(boundaries=[3, 8], values=[0.1, 0.05, 0.01])"),
            Map.entry("inversetimedecay", "inversetimedecay(decay_steps=2, decay_rate=0.5)"),
            Map.entry("linearwarmup", "linearwarmup(cosineannealinglr(T_max=10), warmup_steps=3)"),
            Map.entry("inversesqrt", "inversesqrt(warmup_steps=3)"));

    /**
     * A sample chain per transform that cannot stand in {@code chain(NAME, scale_by_learning_rate(0.01))} with its
     * defaults (a required value, a place of its own in the chain), or whose defaults leave it idle.
     */
    static final Map<String, String> TRANSFORMS = Map.ofEntries(
            Map.entry("apply_if_finite", "chain(apply_if_finite(2), scale_by_adam(), scale_by_learning_rate(0.01))"),
            Map.entry("clip", "chain(clip(0.3), trace(momentum=0.9), scale_by_learning_rate(0.01))"),
            Map.entry("clip_by_global_norm", "chain(clip_by_global_norm(0.5), trace(momentum=0.9), scale_by_learning_rate(0.01))"),
            Map.entry("scale", "chain(trace(momentum=0.5), scale(-0.01))"),
            Map.entry("scale_by_learning_rate", "chain(scale_by_learning_rate(0.01))"),
            Map.entry("scale_by_rprop", "chain(scale_by_rprop(lr=0.01), scale(-1))"),
            Map.entry("scale_by_schedule", "chain(scale_by_schedule(steplr(step_size=3, gamma=0.5)), scale_by_learning_rate(0.01))"),
            Map.entry("scale_by_lr_decay", "chain(scale_by_lr_decay(0.1), scale_by_learning_rate(0.01))"),
            Map.entry("soft_threshold", "chain(scale_by_adagrad(), scale_by_learning_rate(0.01), soft_threshold(0.05))"),
            Map.entry("add_l1", "chain(add_l1(0.1), scale_by_adam(), scale_by_learning_rate(0.01))"),
            Map.entry("add_l2", "chain(add_l2(0.1), scale_by_rms(), scale_by_learning_rate(0.01))"),
            Map.entry("add_decayed_weights", "chain(scale_by_adamax(), add_decayed_weights(0.1), scale_by_learning_rate(0.01))"),
            Map.entry("centralize", "chain(centralize, trace(momentum=0.9, nesterov=true), scale_by_learning_rate(0.01))"),
            Map.entry("scale_by_trust_ratio", "chain(scale_by_yogi(), scale_by_trust_ratio(trust_coefficient=0.1), scale_by_learning_rate(0.01))"),
            Map.entry("scale_by_lars", "chain(scale_by_lars(weight_decay=0.01, trust_coefficient=0.1), scale_by_learning_rate(0.1))"));

    @TestFactory
    Stream<DynamicTest> everyTransformSavesAndLoadsBitExactlyInAChain() {
        return Transforms.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String spec = TRANSFORMS.getOrDefault(name, "chain(" + name + ", scale_by_learning_rate(0.01))");
            assertTrue(Optimizers.parse(spec).toString().contains(name + (Transforms.get(name).hyperparameters().isEmpty() ? "" : "(")),
                    spec + " holds " + name);
            saveLoadStep(spec, null);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyOptimizerSavesAndLoadsBitExactly() {
        Stream<DynamicTest> names = Optimizers.names().stream().map(name -> DynamicTest.dynamicTest(
                OPTIMIZERS.getOrDefault(name, name),
                () -> saveLoadStep(sample(name, OPTIMIZERS, Optimizers::parse, "optimizer", "OPTIMIZERS"), null)));
        return Stream.concat(names, MORE_OPTIMIZERS.stream().map(spec -> DynamicTest.dynamicTest(spec, () -> saveLoadStep(spec, null))));
    }

    @TestFactory
    Stream<DynamicTest> everyScheduleSavesAndLoadsBitExactly() {
        return Schedules.names().stream().map(name -> DynamicTest.dynamicTest(SCHEDULES.getOrDefault(name, name),
                () -> saveLoadStep("sgd(lr=0.1, momentum=0.9)", sample(name, SCHEDULES, Schedules::parse, "schedule", "SCHEDULES"))));
    }

    /** The sample spec of {@code name}, or the bare name when it builds with defaults; else a failure that asks for one. */
    private static String sample(String name, Map<String, String> samples, Function<String, ?> parse, String kind, String table) {
        String spec = samples.get(name);
        if (spec != null) {
            return spec;
        }
        try {
            parse.apply(name);
            return name;
        } catch (IllegalArgumentException e) {
            return fail(kind + " '" + name + "' has no sample spec and cannot be built with its defaults (" + e.getMessage()
                    + "): add a sample spec for it to RegistryPropertyTest." + table);
        }
    }

    /** Two groups over StateDictTest's store: {a, c, frozen} and {b, late}; one group for L-BFGS, which allows no more. */
    private static Optimizer build(String spec, ParamStore store) {
        OptimizerSpec parsed = Optimizers.parse(spec);
        if (parsed.name().equals("lbfgs")) {
            return parsed.build(store.params());
        }
        return parsed.buildGroups(List.of(
                ParamGroup.of(store.param("a"), store.param("c"), store.param("frozen")),
                ParamGroup.of(store.param("b"), store.param("late"))));
    }

    /** What one run holds: its parameters, its optimizer and, when a schedule is given, its scheduler. */
    private record Run(ParamStore store, Optimizer optimizer, Scheduler scheduler) {
        /** Sets the scheduler's values into the groups, steps with the gradients of step {@code s}, steps the scheduler. */
        void step(float[][] grads, int s) {
            if (scheduler != null) {
                for (int g = 0; g < optimizer.paramGroups().size(); g++) {
                    ParamGroup group = optimizer.paramGroups().get(g);
                    group.setLr(scheduler.lr(g));
                    if (scheduler.schedule().cyclesMomentum()) {
                        group.set("momentum", scheduler.momentum(g));
                    }
                }
            }
            double loss = optimizer.step(() -> {
                double sum = 0;
                for (int p = 0; p < grads.length; p++) {
                    Param param = store.param(p);
                    if (grads[p] == null) {
                        param.zeroGrad(true);
                        continue;
                    }
                    float[] w = param.values();
                    float[] g = new float[w.length];
                    for (int i = 0; i < w.length; i++) {
                        g[i] = w[i] + grads[p][i];
                        sum += 0.5 * w[i] * w[i] + (double) grads[p][i] * w[i];
                    }
                    param.setGrad(g);
                }
                return sum;
            });
            if (scheduler != null) {
                // a metric that rises and falls, so ReduceLROnPlateau meets plateaus within a few steps
                scheduler.step(loss * (1 + 0.3 * Math.sin(s)));
            }
        }
    }

    private static void saveLoadStep(String optimizerSpec, String scheduleSpec) {
        String what = scheduleSpec == null ? optimizerSpec : scheduleSpec;
        float[][][] grads = StateDictTest.gradients(23, BEFORE + AFTER);
        Schedule schedule = scheduleSpec == null ? null : Schedules.parse(scheduleSpec);
        ParamStore store = StateDictTest.newStore(7);
        Optimizer opt = build(optimizerSpec, store);
        Run run = new Run(store, opt, schedule == null ? null : schedule.start(GroupBase.of(opt)));
        for (int s = 0; s < BEFORE; s++) {
            run.step(grads[s], s);
        }
        StateDict savedOptimizer = opt.stateDict();
        Map<String, Object> savedScheduler = run.scheduler() == null ? null : run.scheduler().state();
        float[] savedValues = store.data().clone();
        List<float[]> expectedValues = new ArrayList<>();
        List<double[]> expectedLrs = new ArrayList<>();
        for (int s = BEFORE; s < BEFORE + AFTER; s++) {
            run.step(grads[s], s);
            expectedValues.add(store.data().clone());
            expectedLrs.add(run.scheduler() == null ? null : run.scheduler().lrs());
        }
        assertFalse(Arrays.equals(savedValues, expectedValues.get(AFTER - 1)), what + ": the steps after the save move the values");

        ParamStore restored = StateDictTest.newStore();
        System.arraycopy(savedValues, 0, restored.data(), 0, savedValues.length);
        Optimizer fresh = build(optimizerSpec, restored);
        Run resumed = new Run(restored, fresh, schedule == null ? null : schedule.start(GroupBase.of(fresh)));
        fresh.loadStateDict(savedOptimizer);
        if (savedScheduler != null) {
            resumed.scheduler().load(savedScheduler);
        }
        for (int k = 0; k < AFTER; k++) {
            resumed.step(grads[BEFORE + k], BEFORE + k);
            assertBitIdentical(expectedValues.get(k), restored.data(), what + " at step " + (BEFORE + k + 1));
            if (savedScheduler != null) {
                assertArrayEquals(expectedLrs.get(k), resumed.scheduler().lrs(), what + ": the lrs after step " + (BEFORE + k + 1));
            }
        }
        assertEquals(normalize(opt.stateDict()), normalize(fresh.stateDict()), what + ": the optimizer's state after stepping on");
        if (savedScheduler != null) {
            assertEquals(normalize(run.scheduler().state()), normalize(resumed.scheduler().state()), what + ": the scheduler's state");
        }
    }
}
