package dev.descent.optim.transform;

import dev.descent.optim.GradClip;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Param;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamStore;
import dev.descent.optim.problem.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.descent.optim.StateDictTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Each fused optimizer equals its chain of transforms, bit for bit, over many steps: on the four test problems
 * and on a multi-tensor store with two groups (each with its own learning rate) and gradients that are
 * sometimes undefined. Bit-identical is the claim for every pair here, AdamW included, because the chain
 * computes each transform as the fused kernel does and folds its final scalar where the kernel applies it
 * (see {@link Chain}).
 */
class ChainEqualsFusedTest {
    private static final int PROBLEM_STEPS = 300;
    private static final int STORE_STEPS = 40;

    /** fused spec, its chain, and what happens to the gradients before the fused step (clipping), or null. */
    static Stream<Arguments> pairs() {
        return Stream.of(
                pair("sgd(lr=0.001)", "chain(scale_by_learning_rate(0.001))"),
                pair("sgd(lr=0.001, weight_decay=0.01)", "chain(add_decayed_weights(0.01), scale_by_learning_rate(0.001))"),
                pair("momentum(lr=0.001)", "chain(trace(momentum=0.9), scale_by_learning_rate(0.001))"),
                pair("sgd(lr=0.001, momentum=0.9, dampening=0.3, weight_decay=0.01)",
                        "chain(add_decayed_weights(weight_decay=0.01), trace(momentum=0.9, dampening=0.3), scale_by_learning_rate(lr=0.001))"),
                pair("nag(lr=0.001)", "chain(trace(momentum=0.9, nesterov=true), scale_by_learning_rate(0.001))"),
                pair("sgd(lr=0.001, momentum=0.5, weight_decay=0.1, maximize=true)",
                        "chain(scale(-1), add_decayed_weights(0.1), trace(0.5), scale_by_learning_rate(0.001))"),
                pair("adam(lr=0.01)", "chain(scale_by_adam(), scale_by_learning_rate(0.01))"),
                pair("adam(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)",
                        "chain(add_decayed_weights(0.1), scale_by_adam(betas=(0.8, 0.99), eps=1e-6), scale_by_learning_rate(0.01))"),
                pair("adam(lr=0.01, amsgrad=true, maximize=true)",
                        "chain(scale(-1), scale_by_adam(amsgrad=true), scale_by_learning_rate(0.01))"),
                pair("adamw(lr=0.01)", "chain(scale_by_adam(), add_decayed_weights(0.01), scale_by_learning_rate(0.01))"),
                pair("adamw(lr=0.01, weight_decay=0.1, amsgrad=true)",
                        "chain(scale_by_adam(amsgrad=true), add_decayed_weights(0.1), scale_by_learning_rate(0.01))"),
                pair("rmsprop(lr=0.001)", "chain(scale_by_rms(), scale_by_learning_rate(0.001))"),
                pair("rmsprop(lr=0.001, alpha=0.9, centered=true, weight_decay=0.1)",
                        "chain(add_decayed_weights(0.1), scale_by_rms(alpha=0.9, centered=true), scale_by_learning_rate(0.001))"),
                pair("rmsprop(lr=0.001, centered=true, momentum=0.9)",
                        "chain(scale_by_rms(centered=true), trace(momentum=0.9), scale_by_learning_rate(0.001))"),
                pair("rmsprop(lr=0.001, momentum=0.5, maximize=true)",
                        "chain(scale(-1), scale_by_rms(), trace(0.5), scale_by_learning_rate(0.001))"),
                pair("adagrad(lr=0.1)", "chain(scale_by_adagrad(), scale_by_learning_rate(0.1))"),
                pair("adagrad(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.3, weight_decay=0.01, eps=1e-8)",
                        "chain(add_decayed_weights(0.01), scale_by_adagrad(initial_accumulator_value=0.3, eps=1e-8), "
                                + "scale_by_lr_decay(0.05), scale_by_learning_rate(0.1))"),
                pair("adamax(lr=0.01)", "chain(scale_by_adamax(), scale_by_learning_rate(0.01))"),
                pair("adamax(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, maximize=true)",
                        "chain(scale(-1), add_decayed_weights(0.1), scale_by_adamax(betas=(0.8, 0.99), eps=1e-6), scale_by_learning_rate(0.01))"),
                pair("adadelta(lr=0.5)", "chain(scale_by_adadelta(), scale_by_learning_rate(0.5))"),
                pair("adadelta(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1, maximize=true)",
                        "chain(scale(-1), add_decayed_weights(0.1), scale_by_adadelta(rho=0.8, eps=1e-5), scale_by_learning_rate(0.5))"),
                pair("radam(lr=0.01)", "chain(scale_by_radam(), scale_by_learning_rate(0.01))"),
                pair("radam(lr=0.01, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)",
                        "chain(add_decayed_weights(0.1), scale_by_radam(betas=(0.8, 0.9), eps=1e-6), scale_by_learning_rate(0.01))"),
                pair("nadam(lr=0.01)", "chain(scale_by_nadam(), scale_by_learning_rate(0.01))"),
                pair("nadam(lr=0.01, betas=(0.8, 0.99), momentum_decay=0.01, weight_decay=0.1)",
                        "chain(add_decayed_weights(0.1), scale_by_nadam(betas=(0.8, 0.99), momentum_decay=0.01), scale_by_learning_rate(0.01))"),
                pair("adabelief(lr=0.01, rectify=false)", "chain(scale_by_belief(), scale_by_learning_rate(0.01))"),
                pair("adabelief(lr=0.01, weight_decay=0.1, rectify=false)",
                        "chain(scale_by_belief(), add_decayed_weights(0.1), scale_by_learning_rate(0.01))"),
                pair("adabelief(lr=0.01, betas=(0.8, 0.99), eps=1e-12, weight_decay=0.1, weight_decouple=false, rectify=false)",
                        "chain(add_decayed_weights(0.1), scale_by_belief(betas=(0.8, 0.99), eps=1e-12), scale_by_learning_rate(0.01))"),
                pair("yogi(lr=0.01)", "chain(scale_by_yogi(), scale_by_learning_rate(0.01))"),
                pair("yogi(lr=0.01, betas=(0.8, 0.99), eps=1e-4, initial_accumulator=0.01, weight_decay=0.1)",
                        "chain(add_decayed_weights(0.1), scale_by_yogi(betas=(0.8, 0.99), eps=1e-4, initial_accumulator=0.01), "
                                + "scale_by_learning_rate(0.01))"),
                pair("lion(lr=0.001)", "chain(scale_by_lion(), scale_by_learning_rate(0.001))"),
                pair("lion(lr=0.001, betas=(0.8, 0.95), weight_decay=0.5)",
                        "chain(scale_by_lion(betas=(0.8, 0.95)), add_decayed_weights(0.5), scale_by_learning_rate(0.001))"),
                pair("lamb(lr=0.01)",
                        "chain(scale_by_adam(eps=1e-6), add_decayed_weights(0), scale_by_trust_ratio(), scale_by_learning_rate(0.01))"),
                pair("lamb(lr=0.01, betas=(0.8, 0.99), eps=1e-4, weight_decay=0.1)",
                        "chain(scale_by_adam(betas=(0.8, 0.99), eps=1e-4), add_decayed_weights(0.1), scale_by_trust_ratio(), "
                                + "scale_by_learning_rate(0.01))"),
                pair("lars(lr=0.1)", "chain(scale_by_lars(), scale_by_learning_rate(0.1))"),
                pair("lars(lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.01, trust_coefficient=0.1)",
                        "chain(scale_by_lars(weight_decay=0.01, trust_coefficient=0.1), trace(momentum=0.9, dampening=0.2), "
                                + "scale_by_learning_rate(0.1))"),
                pair("lars(lr=0.1, momentum=0.9, nesterov=true, always_adapt=true, trust_coefficient=0.1, eps=1e-6)",
                        "chain(scale_by_lars(always_adapt=true, trust_coefficient=0.1, eps=1e-6), trace(momentum=0.9, nesterov=true), "
                                + "scale_by_learning_rate(0.1))"),
                pair("lars(lr=0.1, momentum=0.5, weight_decay=0.01, trust_coefficient=0.05, trust_clip=true)",
                        "chain(scale_by_lars(weight_decay=0.01, trust_coefficient=0.05, trust_clip=true), trace(0.5), "
                                + "scale_by_learning_rate(0.1))"),
                pair("rprop(lr=0.01)", "chain(scale_by_rprop(lr=0.01), scale(-1))"),
                pair("rprop(lr=0.01, etas=(0.4, 1.3), step_sizes=(1e-5, 1), maximize=true)",
                        "chain(scale(-1), scale_by_rprop(lr=0.01, etas=(0.4, 1.3), step_sizes=(1e-5, 1)), scale(-1))"),
                pair("adam(lr=0.01, eps=1e-3, eps_placement=\"keras\")",
                        "chain(scale_by_adam(eps=1e-3, eps_placement=\"keras\"), scale_by_learning_rate(0.01))"),
                pair("adam(lr=0.01, amsgrad=true, weight_decay=0.1, eps_placement=\"keras\")",
                        "chain(add_decayed_weights(0.1), scale_by_adam(amsgrad=true, eps_placement=\"keras\"), scale_by_learning_rate(0.01))"),
                pair("adamw(lr=0.01, weight_decay=0.1, eps=1e-4, eps_placement=\"keras\")",
                        "chain(scale_by_adam(eps=1e-4, eps_placement=\"keras\"), add_decayed_weights(0.1), scale_by_learning_rate(0.01))"),
                pair("rmsprop(lr=0.001, eps=1e-4, eps_placement=\"keras\")",
                        "chain(scale_by_rms(eps=1e-4, eps_placement=\"keras\"), scale_by_learning_rate(0.001))"),
                pair("rmsprop(lr=0.001, centered=true, momentum=0.9, weight_decay=0.1, eps=1e-4, eps_placement=\"keras\")",
                        "chain(add_decayed_weights(0.1), scale_by_rms(centered=true, eps=1e-4, eps_placement=\"keras\"), trace(momentum=0.9), "
                                + "scale_by_learning_rate(0.001))"),
                pair("ftrl(lr=0.1)", "chain(scale_by_ftrl(), scale_by_learning_rate(0.1))"),
                pair("ftrl(lr=0.05, learning_rate_power=-0.7, initial_accumulator_value=0.2, l1_regularization_strength=0.01, "
                                + "l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.03, beta=0.5)",
                        "chain(scale_by_ftrl(learning_rate_power=-0.7, initial_accumulator_value=0.2, l1_regularization_strength=0.01, "
                                + "l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.03, beta=0.5), "
                                + "scale_by_learning_rate(0.05))"),
                pair("asgd(lr=0.01)", "chain(scale_by_asgd(), scale_by_learning_rate(0.01))"),
                pair("asgd(lr=0.001, lambd=0.01, alpha=0.5, t0=5, weight_decay=0.1, maximize=true)",
                        "chain(scale(-1), add_decayed_weights(0.1), scale_by_asgd(lambd=0.01, alpha=0.5, t0=5), scale_by_learning_rate(0.001))"),
                pair("sgd_schedulefree(lr=0.01)", "chain(schedule_free(), scale_by_learning_rate(0.01))"),
                pair("sgd_schedulefree(lr=0.01, momentum=0.8, weight_decay=0.1, warmup_steps=5, r=0.5, weight_lr_power=1)",
                        "chain(add_decayed_weights(0.1), schedule_free(b1=0.8, warmup_steps=5, r=0.5, weight_lr_power=1), "
                                + "scale_by_learning_rate(0.01))"),
                pair("adamw_schedulefree(lr=0.01)",
                        "chain(scale_by_rms(alpha=0.999, bias_correction=true), schedule_free(b1=0.9), scale_by_learning_rate(0.01))"),
                pair("adamw_schedulefree(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, warmup_steps=3)",
                        "chain(scale_by_rms(alpha=0.99, eps=1e-6, bias_correction=true), add_decayed_weights(0.1), "
                                + "schedule_free(b1=0.8, warmup_steps=3), scale_by_learning_rate(0.01))"),
                pair("muon(lr=0.02)", "chain(scale_by_muon(), scale_by_learning_rate(0.02))"),
                pair("muon(lr=0.02, momentum=0.9, nesterov=false, ns_steps=3, weight_decay=0.1, adamw_lr=0.001, adamw_betas=(0.9, 0.99), "
                                + "adamw_eps=1e-6)",
                        "chain(scale_by_muon(momentum=0.9, nesterov=false, ns_steps=3, adamw_lr=0.001, adamw_betas=(0.9, 0.99), "
                                + "adamw_eps=1e-6), add_decayed_weights(0.1), scale_by_learning_rate(0.02))"),
                pair("muon(lr=0.02, use_muon=false, weight_decay=0.1)",
                        "chain(scale_by_muon(use_muon=false), add_decayed_weights(0.1), scale_by_learning_rate(0.02))"),
                pair("adafactor(lr=0.01)",
                        "chain(scale_by_factored_rms(), scale_by_param_block_rms(), scale_by_relative_step(), scale_by_learning_rate(0.01))"),
                pair("adafactor(lr=0.01, relative_step=false, scale_parameter=false, weight_decay=0.1, eps=(1e-20, 1e-2), "
                                + "clip_threshold=0.5, decay_rate=-0.6)",
                        "chain(scale_by_factored_rms(eps=1e-20, clip_threshold=0.5, decay_rate=-0.6), add_decayed_weights(0.1), "
                                + "scale_by_learning_rate(0.01))"),
                pair("adafactor(lr=0.01, warmup_init=true, weight_decay=0.1, eps=(1e-30, 1e-2))",
                        "chain(scale_by_factored_rms(), add_decayed_weights(0.1), scale_by_param_block_rms(1e-2), "
                                + "scale_by_relative_step(warmup_init=true), scale_by_learning_rate(0.01))"),
                pair("adafactor(lr=0.01, beta1=0.9, relative_step=false)",
                        "chain(scale_by_factored_rms(), scale_by_param_block_rms(), scale_by_learning_rate(0.01, flip_sign=false), "
                                + "ema(0.9, debias=false), scale(-1))"),
                pair("adafactor(lr=0.01, beta1=0.8, scale_parameter=false, clip_threshold=0.5)",
                        "chain(scale_by_factored_rms(clip_threshold=0.5), scale_by_relative_step(), "
                                + "scale_by_learning_rate(0.01, flip_sign=false), ema(decay=0.8, debias=false), scale(-1))"),
                Arguments.of("adam(lr=0.01) after clipGradNorm(0.5)",
                        "adam(lr=0.01)", "chain(clip_by_global_norm(0.5), scale_by_adam(), scale_by_learning_rate(0.01))",
                        (Consumer<List<Param>>) ps -> GradClip.clipGradNorm(ps, 0.5)),
                Arguments.of("momentum(lr=0.001) after clipGradValue(0.3)",
                        "momentum(lr=0.001)", "chain(clip(0.3), trace(0.9), scale_by_learning_rate(0.001))",
                        (Consumer<List<Param>>) ps -> GradClip.clipGradValue(ps, 0.3)));
    }

    private static Arguments pair(String fused, String chain) {
        return Arguments.of(fused, fused, chain, null);
    }

    @ParameterizedTest(name = "{0} on the problems")
    @MethodSource("pairs")
    void equalOnTheFourProblems(String label, String fused, String chain, Consumer<List<Param>> beforeFused) {
        for (Problem problem : Problem.values()) {
            Param a = ParamStore.of("w", problem.defaultInit()).param(0);
            Param b = ParamStore.of("w", problem.defaultInit()).param(0);
            Optimizer f = Optimizers.create(fused, List.of(a));
            Optimizer c = Optimizers.create(chain, List.of(b));
            float[] g = new float[problem.dimension()];
            for (int s = 1; s <= PROBLEM_STEPS; s++) {
                problem.gradient(a.values(), g);
                a.setGrad(g);
                if (beforeFused != null) {
                    beforeFused.accept(List.of(a));
                }
                f.step();
                problem.gradient(b.values(), g);
                b.setGrad(g);
                c.step();
                assertBitIdentical(a.values(), b.values(), label + " on " + problem.id() + " at step " + s);
            }
            assertFalse(Arrays.equals(problem.defaultInit(), b.values()), label + " moved on " + problem.id());
        }
    }

    @ParameterizedTest(name = "{0} on a store with two groups")
    @MethodSource("pairs")
    void equalOnAMultiTensorStoreWithTwoGroups(String label, String fused, String chain, Consumer<List<Param>> beforeFused) {
        ParamStore a = store(5);
        ParamStore b = store(5);
        Optimizer f = twoGroups(Optimizers.parse(fused), a, "lr");
        Optimizer c = twoGroups(Optimizers.parse(chain), b, chainLrKey(chain));
        SplittableRandom random = new SplittableRandom(11);
        for (int s = 1; s <= STORE_STEPS; s++) {
            for (int p = 0; p < a.params().size(); p++) {
                boolean undefined = p == 4 || (p == 1 && s % 5 == 2) || (p == 3 && s < 4);
                float[] g = new float[a.param(p).size()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (random.nextDouble() * 2 - 1);
                }
                for (ParamStore store : List.of(a, b)) {
                    if (undefined) {
                        store.param(p).zeroGrad(true);
                    } else {
                        store.param(p).setGrad(g);
                    }
                }
            }
            if (beforeFused != null) {
                beforeFused.accept(a.params());
            }
            f.step();
            c.step();
            assertBitIdentical(a.data(), b.data(), label + " at step " + s);
        }
        assertFalse(Arrays.equals(store(5).data(), b.data()), label + " moved");
    }

    /** A few pairs, one per kind of pass, for the large store. */
    static Stream<Arguments> somePairs() {
        return pairs().filter(a -> List.of("nag(lr=0.001)", "adamw(lr=0.01)", "rmsprop(lr=0.001, centered=true, momentum=0.9)",
                "adam(lr=0.01) after clipGradNorm(0.5)", "nadam(lr=0.01)", "lamb(lr=0.01, betas=(0.8, 0.99), eps=1e-4, weight_decay=0.1)",
                "lars(lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.01, trust_coefficient=0.1)", "ftrl(lr=0.1)",
                "sgd_schedulefree(lr=0.01)", "adafactor(lr=0.01)", "muon(lr=0.02)")
                .contains((String) a.get()[0]));
    }

    /** The fused and chained step split across threads (a store above the parallel threshold) still agree. */
    @ParameterizedTest(name = "{0} on a large store")
    @MethodSource("somePairs")
    void equalOnAStoreLargeEnoughToSplitAcrossThreads(String label, String fused, String chain, Consumer<List<Param>> beforeFused) {
        int n = (1 << 20) + 13;
        ParamStore a = ParamStore.builder().add("big", n - 7).add("small", 7).build();
        ParamStore b = ParamStore.builder().add("big", n - 7).add("small", 7).build();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            a.data()[i] = b.data()[i] = (float) (random.nextDouble() - 0.5);
        }
        Optimizer f = Optimizers.create(fused, a.params());
        Optimizer c = Optimizers.create(chain, b.params());
        stepBoth(f, a, c, b, beforeFused, random, 2);
        assertBitIdentical(a.data(), b.data(), label);
    }

    /**
     * Steps {@code f} on {@code a} and {@code c} on {@code b} {@code steps} times, both stores given the same
     * random gradients in [−1, 1), and {@code beforeFused} (if any) run on {@code a} before each fused step.
     */
    private static void stepBoth(Optimizer f, ParamStore a, Optimizer c, ParamStore b, Consumer<List<Param>> beforeFused,
            SplittableRandom random, int steps) {
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < a.size(); i++) {
                a.grad()[i] = b.grad()[i] = (float) (random.nextDouble() * 2 - 1);
            }
            a.markGradsDefined();
            b.markGradsDefined();
            if (beforeFused != null) {
                beforeFused.accept(a.params());
            }
            f.step();
            c.step();
        }
    }

    /** The state a chain keeps is the fused optimizer's, under the transform's label. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void theStateIsTheFusedOptimizersUnderTheTransformsLabel(String label, String fused, String chain, Consumer<List<Param>> beforeFused) {
        ParamStore a = store(9);
        ParamStore b = store(9);
        Optimizer f = Optimizers.create(fused, a.params());
        Optimizer c = Optimizers.create(chain, b.params());
        stepBoth(f, a, c, b, beforeFused, new SplittableRandom(2), 5);
        for (int p = 0; p < a.params().size(); p++) {
            Map<String, Object> fs = f.stateDict().state().get(p);
            Map<String, Object> cs = c.stateDict().state().get(p);
            assertEquals(fs.get("step") == null ? 5L : fs.get("step"), cs.get("step"), label + ": step of parameter " + p);
            for (Map.Entry<String, Object> e : fs.entrySet()) {
                if (e.getValue() instanceof float[]) {
                    String key = cs.keySet().stream().filter(k -> k.endsWith("." + e.getKey())).findFirst()
                            .or(() -> cs.keySet().stream().filter(k -> k.endsWith("." + STATE_NAMES.get(e.getKey()))).findFirst())
                            .orElseThrow(() -> new AssertionError(label + ": the chain has no " + e.getKey() + " in " + cs.keySet()));
                    assertBitIdentical((float[]) e.getValue(), (float[]) cs.get(key), label + ": " + key);
                }
            }
        }
    }

    /** Fused state names a chain's transform calls otherwise, when the chain has none of the fused name: AdamW-sf's v is scale_by_rms's. */
    private static final Map<String, String> STATE_NAMES = Map.of("exp_avg_sq", "square_avg");

    static String chainLrKey(String chain) {
        return chain.contains("scale_by_learning_rate") || chain.contains("scale_by_rprop") ? "lr" : null;
    }

    /** a(1), b(7), c(3x11), late(5), frozen(3), with values from a seed. */
    static ParamStore store(long seed) {
        ParamStore store = ParamStore.builder().add("a", 1).add("b", 7).add("c", 3, 11).add("late", 5).add("frozen", 3).build();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < store.size(); i++) {
            store.data()[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return store;
    }

    /** {a, c, frozen} with the spec's values; {b, late} with a third of its learning rate, held under {@code lrKey}. */
    static Optimizer twoGroups(OptimizerSpec spec, ParamStore store, String lrKey) {
        ParamGroup second = ParamGroup.of(store.param("b"), store.param("late"));
        Optimizer probe = spec.build(List.of(store.param("a")));
        second = second.with(lrKey, probe.paramGroups().get(0).real(lrKey) / 3);
        return spec.buildGroups(List.of(ParamGroup.of(store.param("a"), store.param("c"), store.param("frozen")), second));
    }
}
