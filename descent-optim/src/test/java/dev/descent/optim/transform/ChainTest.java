package dev.descent.optim.transform;

import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Param;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamStore;
import dev.descent.optim.StateDict;
import dev.descent.optim.schedule.GroupBase;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.optim.schedule.Schedules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.descent.optim.StateDictTest.assertBitIdentical;
import static dev.descent.optim.StateDictTest.step;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** chain(...) as a spec and as an optimizer: parsing, keys, lr, hand-computed steps, the transforms that reduce, L1. */
class ChainTest {
    private static final String ISSUE_EXAMPLE =
            "chain(clip_by_global_norm(1.0), scale_by_adam(betas=(0.9,0.999)), trace(momentum=0.5), scale(-0.001))";

    private static void assertMessage(String spec, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse(spec), spec);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    // ---- the spec --------------------------------------------------------------------------------------

    /** The issue's example parses, runs, and moves each coordinate by lr·sign(g) and then lr·1.5·sign(g), by hand. */
    @Test
    void theIssuesExampleParsesAndRunsAsComputedByHand() {
        Param w = ParamStore.of("w", 1f, -2f, 0.5f).param(0);
        Optimizer opt = Optimizers.create(ISSUE_EXAMPLE, List.of(w));
        assertEquals("chain", opt.name());
        assertEquals(List.of("clip_by_global_norm", "scale_by_adam", "trace", "scale"), ((Chain) opt).transforms());
        float[] g = {30f, -40f, 0.25f};
        w.setGrad(g);
        opt.step();
        // clipped g' = c g; Adam's first step is g'/(|g'| + eps) = sign(g); trace's first step copies it.
        float[] expected = {1f - 0.001f, -2f + 0.001f, 0.5f - 0.001f};
        assertArrayEquals(expected, w.values(), 1e-6f);
        w.setGrad(g);
        opt.step();
        // Adam's second step with the same gradient is sign(g) again; the trace is 0.5 sign + sign.
        float[] twice = {expected[0] - 0.0015f, expected[1] + 0.0015f, expected[2] - 0.0015f};
        assertArrayEquals(twice, w.values(), 1e-6f);
    }

    @Test
    void theCanonicalTextWritesEveryValueAndParsesBackToTheSameChain() {
        OptimizerSpec spec = Optimizers.parse(ISSUE_EXAMPLE);
        assertTrue(spec.isComposite());
        assertEquals("chain", spec.name());
        String canonical = "chain(clip_by_global_norm(max_norm=1.0), scale_by_adam(betas=(0.9, 0.999), eps=1.0E-8, amsgrad=false, "
                + "eps_placement=\"torch\"), trace(momentum=0.5, dampening=0.0, nesterov=false), scale(step_size=-0.001))";
        assertEquals(canonical, spec.toString());
        assertEquals(canonical, Optimizers.parse(canonical).toString());
        Optimizer opt = spec.build(ParamStore.of("w", 1f).params());
        assertEquals(canonical, opt.toString());
        assertEquals("chain(centralize, scale(step_size=-1.0))", Optimizers.parse("Chain(Centralize, SCALE(-1))").toString());
    }

    @Test
    void oneParameterTransformsTakeItPositionallyOrByKey() {
        assertEquals(Optimizers.parse("chain(clip_by_global_norm(max_norm=2), clip(max_delta=0.5), trace(momentum=0.8), "
                        + "add_decayed_weights(weight_decay=0.1), scale_by_lr_decay(lr_decay=0.1), scale_by_learning_rate(lr=0.1))").toString(),
                Optimizers.parse("chain(clip_by_global_norm(2), clip(0.5), trace(0.8), add_decayed_weights(0.1), "
                        + "scale_by_lr_decay(0.1), scale_by_learning_rate(0.1))").toString());
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        assertMessage("chain(scale_by_adm(), scale(-1))", "unknown transform 'scale_by_adm'", "did you mean 'scale_by_adam'?", "trace");
        assertMessage("chain(scale_by_adam(beta=(0.9, 0.99)), scale(-1))", "unknown key for scale_by_adam 'beta'", "did you mean 'betas'?");
        assertMessage("chain(clip_by_global_norm(-1), scale(-1))", "clip_by_global_norm: max_norm=-1", "must be >= 0");
        assertMessage("chain(scale_by_adam(betas=(0.9, 1.0)))", "scale_by_adam: betas=(0.9, 1.0)", "must be in [0, 1)");
        assertMessage("chain(scale_by_adam(betas=(0.9)))", "must be a tuple of 2 numbers");
        assertMessage("chain(scale_by_rms(centered=1))", "scale_by_rms: centered=1", "true or false");
        assertMessage("chain(scale_by_adam(0.9))", "scale_by_adam takes only key=value arguments", "0.9");
        assertMessage("chain(clip(1, 2))", "clip takes one positional argument (max_delta)");
        assertMessage("chain(clip(1, max_delta=2))", "max_delta is given twice");
        assertMessage("chain(scale_by_learning_rate())", "lr is required");
        assertMessage("chain(scale(inf))", "step_size=inf", "finite");
        assertMessage("chain(trace(momentum=0, nesterov=true), scale(-1))", "nesterov=true requires momentum > 0");
        assertMessage("chain()", "chain needs at least one transform", "scale_by_adam");
        assertMessage("chain(scale(-1), lr=0.1)", "chain takes only transforms", "lr=0.1");
        assertMessage("chain(0.5)", "argument 1 is 0.5, not a transform");
        assertMessage("chain(soft_threshold(0.1), scale_by_learning_rate(0.1))", "soft_threshold must be the last transform");
        assertMessage("chain(scale(-0.1), soft_threshold(0.1))", "needs exactly one scale_by_learning_rate");
        assertMessage("chian(scale(-1))", "unknown optimizer 'chian'", "did you mean 'chain'?");
    }

    @Test
    void pyTorchSwitchesAreIgnoredInsideTransformsToo() {
        assertEquals(Optimizers.parse("chain(scale_by_adam(), scale(-1))").toString(),
                Optimizers.parse("chain(scale_by_adam(foreach=true), scale(-1))").toString());
    }

    @Test
    void aTransformIsNotAnOptimizer() {
        assertMessage("scale_by_adam()", "unknown optimizer 'scale_by_adam'");
    }

    // ---- hyperparameters in groups --------------------------------------------------------------------

    @Test
    void keysArePlainWhenUniqueAndQualifiedWhenShared() {
        ParamStore store = ParamStore.builder().add("w", 3).build();
        Optimizer opt = Optimizers.create("chain(scale_by_adam(eps=1e-6), scale_by_rms(eps=1e-4), trace(0.9), trace(0.5, nesterov=true), "
                + "scale_by_learning_rate(0.1))", store.params());
        ParamGroup g = opt.paramGroups().get(0);
        assertEquals(List.of("betas", "scale_by_adam.eps", "amsgrad", "scale_by_adam.eps_placement", "alpha", "scale_by_rms.eps",
                "centered", "scale_by_rms.eps_placement", "bias_correction", "trace1.momentum", "trace1.dampening", "trace1.nesterov", "trace2.momentum", "trace2.dampening", "trace2.nesterov", "lr",
                "flip_sign"),
                List.copyOf(g.values().keySet()));
        assertEquals(1e-4, g.real("scale_by_rms.eps"));
        assertEquals(0.5, g.real("trace2.momentum"));
        assertTrue(g.flag("trace2.nesterov"));
        g.set("scale_by_rms.eps", 1e-3);
        assertTrue(opt.toString().contains("scale_by_rms(alpha=0.99, eps=0.001, centered=false, "), opt.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.set("eps", 1e-3));
        assertTrue(e.getMessage().contains("unknown key for chain 'eps'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.set("trace2.momentum", -1.0));
        assertTrue(e.getMessage().contains("trace2.momentum=-1.0 is invalid: must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.set("trace2.momentum", 0.0));
        assertTrue(e.getMessage().contains("trace: nesterov=true requires momentum > 0"), e.getMessage());
        assertEquals(0.5, g.real("trace2.momentum"), "a rejected value changes nothing");

        store.param(0).setGrad(1f, -2f, 3f);
        opt.step();
        Map<String, Object> state = opt.stateDict().state().get(0);
        assertEquals(List.of("step", "scale_by_adam.exp_avg", "scale_by_adam.exp_avg_sq", "scale_by_rms.square_avg",
                "trace1.momentum_buffer", "trace2.momentum_buffer"), List.copyOf(state.keySet()));
    }

    /** lr reads and sets scale_by_learning_rate's lr, between steps, with the same bits as the fused optimizer. */
    @Test
    void theLearningRateIsTheChainsAndSettingItActsLikeTheFusedOptimizers() {
        Param a = ParamStore.of("w", 1f, -2f, 0.75f).param(0);
        Param b = ParamStore.of("w", 1f, -2f, 0.75f).param(0);
        Optimizer fused = Optimizers.create("adamw(lr=0.01, weight_decay=0.1)", List.of(a));
        Optimizer chain = Optimizers.create("chain(scale_by_adam(), add_decayed_weights(0.1), scale_by_learning_rate(0.01))", List.of(b));
        assertEquals(0.01, chain.lr());
        SplittableRandom random = new SplittableRandom(4);
        for (int s = 0; s < 30; s++) {
            double lr = 0.01 * Math.pow(0.9, s);  // an exponential schedule
            fused.setLr(lr);
            chain.setLr(lr);
            assertEquals(lr, chain.paramGroups().get(0).lr());
            float[] g = {(float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian()};
            a.setGrad(g);
            b.setGrad(g);
            fused.step();
            chain.step();
            assertBitIdentical(a.values(), b.values(), "step " + (s + 1));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chain.setLr(-1));
        assertTrue(e.getMessage().contains("lr=-1.0 is invalid: must be >= 0"), e.getMessage());
        Optimizer fixed = Optimizers.create("chain(scale(-0.1))", List.of(a));
        e = assertThrows(IllegalArgumentException.class, fixed::lr);
        assertTrue(e.getMessage().contains("no hyperparameter 'lr'"), e.getMessage());
    }

    /** A schedule starts from the chain's lr and, with a trace, its momentum; what it computes is set back with setLr. */
    @Test
    void schedulesReadAChainsLearningRateAndMomentum() {
        Optimizer opt = Optimizers.create("chain(trace(0.8), scale_by_learning_rate(0.1))", ParamStore.of("w", 1f).params());
        GroupBase base = GroupBase.of(opt).get(0);
        assertEquals(0.1, base.lr());
        assertEquals(0.8, base.momentum());
        assertEquals(GroupBase.MomentumKind.MOMENTUM, base.momentumKind());
        Scheduler scheduler = Schedules.parse("steplr(step_size=1, gamma=0.5)").start(GroupBase.of(opt));
        scheduler.step();
        opt.setLr(scheduler.lr(0));
        assertEquals(0.05, opt.lr(), 1e-15);
        assertEquals(GroupBase.MomentumKind.BETA1,
                GroupBase.of(Optimizers.create("chain(scale_by_adam(), scale_by_learning_rate(0.1))", ParamStore.of("w", 1f).params()))
                        .get(0).momentumKind());
    }

    @Test
    void groupRulesSetAChainsKeysByParameterName() {
        ParamStore store = ParamStore.builder().add("fc.weight", 2).add("fc.bias", 2).build();
        store.data()[0] = store.data()[1] = store.data()[2] = store.data()[3] = 1f;
        Optimizer opt = Optimizers.parse("chain(add_decayed_weights(0.5), scale_by_learning_rate(0.1))")
                .build(store.params(), "bias: weight_decay=0");
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.0, opt.paramGroups().get(1).real("weight_decay"));
        store.markGradsDefined();
        opt.step();
        assertArrayEquals(new float[] {0.95f, 0.95f, 1f, 1f}, store.data(), "decay on the weight only");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers
                .parse("chain(add_decayed_weights(0.5), scale_by_learning_rate(0.1))").build(store.params(), "bias: weight_decy=0"));
        assertTrue(e.getMessage().contains("did you mean 'weight_decay'?"), e.getMessage());
    }

    // ---- save, load, step ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            ISSUE_EXAMPLE,
            "chain(scale(-1), add_l2(0.01), clip(0.4), centralize, scale_by_rms(centered=true), trace(0.5), trace(0.9, nesterov=true), "
                    + "clip_by_global_norm(0.3), scale_by_learning_rate(0.05))",
            "chain(add_l1(0.01), scale_by_adagrad(initial_accumulator_value=0.1), scale_by_lr_decay(0.1), scale_by_learning_rate(0.1), soft_threshold(0.2))",
            "chain(scale_by_adam(amsgrad=true), add_decayed_weights(0.1), scale_by_learning_rate(0.01))",
            "chain(add_decayed_weights(0.1), scale_by_nadam(), scale_by_learning_rate(0.01))",
            "chain(scale_by_adam(eps=1e-6), add_decayed_weights(0.1), scale_by_trust_ratio(), scale_by_learning_rate(0.01))",
            "chain(scale_by_lars(weight_decay=0.01, trust_coefficient=0.1), trace(0.9), scale_by_learning_rate(0.1))",
            "chain(scale_by_rprop(lr=0.01), scale(-1))",
            "chain(scale_by_adam(), scale_by_schedule(sequentiallr(linearlr(start_factor=0.1, total_iters=3), "
                    + "cosineannealinglr(T_max=10), milestones=[3])), scale_by_learning_rate(0.01))"})
    void saveLoadThenStepIsBitIdenticalToSteppingOn(String spec) {
        int before = 6;
        int after = 7;
        ParamStore store = ChainEqualsFusedTest.store(5);
        Optimizer opt = ChainEqualsFusedTest.twoGroups(Optimizers.parse(spec), store,
                spec.contains("scale_by_learning_rate") ? "lr" : "step_size");
        SplittableRandom random = new SplittableRandom(8);
        float[][][] grads = new float[before + after][store.params().size()][];
        for (float[][] step : grads) {
            for (int p = 0; p < step.length; p++) {
                step[p] = new float[store.param(p).size()];
                for (int i = 0; i < step[p].length; i++) {
                    step[p][i] = (float) (random.nextDouble() * 2 - 1);
                }
            }
            step[4] = null;  // "frozen" never has a gradient
        }
        grads[1][1] = null;  // "b" skips step 2
        for (int s = 0; s < before; s++) {
            step(opt, store, grads[s]);
        }
        StateDict snapshot = opt.stateDict();
        float[] snapshotValues = store.data().clone();
        ParamStore restored = ChainEqualsFusedTest.store(5);
        System.arraycopy(snapshotValues, 0, restored.data(), 0, snapshotValues.length);
        Optimizer fresh = ChainEqualsFusedTest.twoGroups(Optimizers.parse(spec), restored,
                spec.contains("scale_by_learning_rate") ? "lr" : "step_size");
        fresh.loadStateDict(snapshot);
        for (int s = before; s < before + after; s++) {
            step(opt, store, grads[s]);
            step(fresh, restored, grads[s]);
            assertBitIdentical(store.data(), restored.data(), spec + " at step " + (s + 1));
        }
        assertFalse(Arrays.equals(snapshotValues, store.data()));
        assertEquals(render(opt.stateDict()), render(fresh.stateDict()), spec + ": the state after stepping on");
    }

    /** A state dict as text, arrays written out, for comparing two of them. */
    private static String render(StateDict dict) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> g : dict.paramGroups()) {
            g.forEach((k, v) -> b.append(k).append('=').append(v instanceof int[] ? Arrays.toString((int[]) v)
                    : v instanceof double[] ? Arrays.toString((double[]) v) : v).append(' '));
            b.append('\n');
        }
        dict.state().forEach((index, state) -> {
            b.append(index).append(':');
            state.forEach((k, v) -> b.append(' ').append(k).append('=')
                    .append(v instanceof float[] ? Arrays.toString((float[]) v) : v));
            b.append('\n');
        });
        return b.toString();
    }

    @Test
    void aSnapshotOfAnotherChainIsRejected() {
        ParamStore store = ParamStore.builder().add("w", 3).build();
        Optimizer adam = Optimizers.create("chain(scale_by_adam(), scale_by_learning_rate(0.1))", store.params());
        store.markGradsDefined();
        adam.step();
        Optimizer momentum = Optimizers.create("chain(trace(0.9), scale_by_learning_rate(0.1))", store.params());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> momentum.loadStateDict(adam.stateDict()));
        assertTrue(e.getMessage().contains("unknown key for chain 'betas'"), e.getMessage());
    }

    // ---- transforms that read the whole update ------------------------------------------------------------

    @Test
    void theTrustRatioIsPerParameterAndOneWhereANormIsZero() {
        ParamStore store = ParamStore.builder().add("a", 2).add("zero", 2).build();
        store.param("a").set(new float[] {3, 4});
        Optimizer opt = Optimizers.create("chain(scale_by_trust_ratio(), scale_by_learning_rate(0.1))", store.params());
        store.param("a").setGrad(new float[] {0, 1});
        store.param("zero").setGrad(new float[] {2, 0});
        opt.step();
        // q = ‖θ‖/‖u‖ = 5/1 for a; q = 1 for the parameter at zero.
        assertArrayEquals(new float[] {3f, 3.5f, -0.2f, 0f}, store.data());
    }

    @Test
    void aScalingBeforeTheTrustRatioIsMeasuredWithTheUpdateSoTheRatioUndoesIt() {
        // Doubling u before the ratio halves q exactly (powers of two round nowhere), so the steps agree to the
        // bit; had scale(2) been folded into the final factor instead, the steps would be twice as long.
        ParamStore a = ChainEqualsFusedTest.store(4);
        ParamStore b = ChainEqualsFusedTest.store(4);
        Optimizer doubled = Optimizers.create("chain(scale_by_adam(), scale(2), scale_by_trust_ratio(), scale_by_learning_rate(0.1))",
                a.params());
        Optimizer plain = Optimizers.create("chain(scale_by_adam(), scale_by_trust_ratio(), scale_by_learning_rate(0.1))", b.params());
        SplittableRandom random = new SplittableRandom(6);
        for (int s = 0; s < 10; s++) {
            for (int i = 0; i < a.size(); i++) {
                a.grad()[i] = b.grad()[i] = (float) (random.nextDouble() * 2 - 1);
            }
            a.markGradsDefined();
            b.markGradsDefined();
            doubled.step();
            plain.step();
            assertBitIdentical(b.data(), a.data(), "step " + (s + 1));
        }
        assertFalse(Arrays.equals(ChainEqualsFusedTest.store(4).data(), a.data()));
    }

    @Test
    void clipByGlobalNormAnywhereClipsTheUpdateAsItIsThere() {
        ParamStore store = ParamStore.builder().add("a", 2).add("b", 1).build();
        Optimizer opt = Optimizers.create("chain(scale_by_learning_rate(2), clip_by_global_norm(0.5))", store.params());
        store.param("a").setGrad(3f, 0f);
        store.param("b").setGrad(4f);
        opt.step();
        // u = -2 g has norm 10, so every element is scaled by 0.5 / (10 + 1e-6).
        float coef = (1f / (10f + 1e-6f)) * 0.5f;
        assertArrayEquals(new float[] {-6f * coef, 0f, -8f * coef}, store.data());
        // Below the limit nothing changes (the coefficient clamps to 1).
        store.param("a").setGrad(0.1f, 0f);
        store.param("b").setGrad(0f);
        float[] before = store.data().clone();
        opt.step();
        assertEquals(before[0] - 0.2f, store.data()[0]);
        assertEquals(before[2], store.data()[2]);
    }

    @Test
    void centralizeRemovesEachRowsMeanFromMatricesOnly() {
        ParamStore store = ParamStore.builder().add("weight", 2, 3).add("bias", 3).build();
        Optimizer opt = Optimizers.create("chain(centralize, scale(-1))", store.params());
        store.param("weight").setGrad(1f, 2f, 3f, 4f, 4f, 7f);
        store.param("bias").setGrad(1f, 2f, 3f);
        opt.step();
        assertArrayEquals(new float[] {1f, 0f, -1f, 1f, 1f, -2f}, store.param("weight").values());
        assertArrayEquals(new float[] {-1f, -2f, -3f}, store.param("bias").values());
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 4f, 7f}, store.param("weight").grad(), "the gradient itself is untouched");
    }

    // ---- L1 -------------------------------------------------------------------------------------------

    /** The subgradient moves each weight toward zero by lr·l1, per group; a zero weight stays. */
    @Test
    void addL1AddsTheSubgradientPerGroup() {
        ParamStore store = ParamStore.builder().add("w", 3).add("bias", 2).build();
        store.param("w").set(1f, -0.5f, 0f);
        store.param("bias").set(1f, -1f);
        Optimizer opt = Optimizers.parse("chain(add_l1(0.1), scale_by_learning_rate(0.5))").build(store.params(), "bias: l1=0");
        store.markGradsDefined();
        opt.step();
        assertArrayEquals(new float[] {0.95f, -0.45f, 0f}, store.param("w").values());
        assertArrayEquals(new float[] {1f, -1f}, store.param("bias").values());
    }

    /**
     * The proximal step solves the lasso min ½‖θ − b‖² + λ‖θ‖₁, whose solution is the soft threshold of b, with
     * small entries exactly zero; the subgradient only hovers around zero.
     */
    @Test
    void softThresholdReachesExactZerosWhereTheSubgradientHovers() {
        float[] b = {3f, 0.2f, -0.5f, -0.05f};
        float[] solution = {2.7f, 0f, -0.2f, 0f};
        Param prox = ParamStore.of("w", 1f, 1f, 1f, 1f).param(0);
        Param sub = ParamStore.of("w", 1f, 1f, 1f, 1f).param(0);
        Optimizer proximal = Optimizers.create("chain(scale_by_learning_rate(0.5), soft_threshold(0.3))", List.of(prox));
        Optimizer subgradient = Optimizers.create("chain(add_l1(0.3), scale_by_learning_rate(0.05))", List.of(sub));
        for (int s = 0; s < 200; s++) {
            for (Param p : List.of(prox, sub)) {
                float[] w = p.values();
                float[] g = new float[4];
                for (int i = 0; i < 4; i++) {
                    g[i] = w[i] - b[i];
                }
                p.setGrad(g);
            }
            proximal.step();
            subgradient.step();
        }
        assertArrayEquals(solution, prox.values(), 1e-6f);
        assertEquals(0f, prox.values()[1]);
        assertEquals(0f, prox.values()[3]);
        assertNotEquals(0f, sub.values()[1], "the subgradient oscillates around zero");
        assertEquals(0f, sub.values()[1], 0.05f);
    }

    @Test
    void softThresholdUsesTheGroupsLearningRateAndL1() {
        ParamStore store = ParamStore.builder().add("w", 4).add("bias", 2).build();
        store.param("w").set(1f, 0.03f, -0.04f, -2f);
        store.param("bias").set(0.03f, -0.04f);
        Optimizer opt = Optimizers.parse("chain(scale_by_learning_rate(0.1), soft_threshold(0.5))").build(store.params(), "bias: l1=0");
        store.markGradsDefined();
        opt.step();
        assertArrayEquals(new float[] {0.95f, 0f, 0f, -1.95f}, store.param("w").values());
        assertArrayEquals(new float[] {0.03f, -0.04f}, store.param("bias").values());
        opt.setLr(0.2);
        opt.step();
        assertArrayEquals(new float[] {0.85f, 0f, 0f, -1.85f}, store.param("w").values(), 1e-7f);
    }
}
