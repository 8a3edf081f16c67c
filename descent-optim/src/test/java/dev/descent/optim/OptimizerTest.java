package dev.descent.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.descent.optim.ParamStoreTest.assertMentions;
import static dev.descent.optim.StateDictTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimizer lifecycle every algorithm shares: skipping, zeroGrad, closures, lr, groups, stores, aliases. */
class OptimizerTest {
    /** One configuration per algorithm, with momentum-like state where the algorithm has it. */
    private static final List<String> SPECS = List.of(
            "sgd(lr=0.1, momentum=0.9, dampening=0.2)", "adagrad(lr=0.1, lr_decay=0.3, initial_accumulator_value=0.1)",
            "rmsprop(lr=0.01, centered=true, momentum=0.5)", "adadelta(lr=0.5)", "adam(lr=0.1, amsgrad=true)",
            "nadam(lr=0.1, momentum_decay=0.1)");

    private static float[] randomFloats(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return out;
    }

    // ---- parameters without a gradient -------------------------------------------------------------

    /** A parameter whose gradient was never set keeps its values, gets no state and no step count. */
    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr=0.1, momentum=0.9, dampening=0.2)", "adagrad(lr=0.1, lr_decay=0.3, initial_accumulator_value=0.1)",
            "rmsprop(lr=0.01, centered=true, momentum=0.5)", "adadelta(lr=0.5)", "adam(lr=0.1, amsgrad=true)",
            "nadam(lr=0.1, momentum_decay=0.1)"})
    void aParameterWithoutGradientIsSkipped(String spec) {
        ParamStore store = ParamStore.builder().add("a", 3).add("b", 2).build();
        store.param("a").set(1f, 2f, 3f);
        store.param("b").set(-1f, 0.5f);
        Optimizer opt = Optimizers.create(spec, store.params());
        SplittableRandom random = new SplittableRandom(3);
        float[] aBefore = store.param("a").values();
        for (int s = 0; s < 3; s++) {
            store.param("a").setGrad(randomFloats(random, 3));
            opt.step();
        }
        assertFalse(Arrays.equals(aBefore, store.param("a").values()), "a moved");
        assertArrayEquals(new float[] {-1f, 0.5f}, store.param("b").values(), "b has no gradient and stays");
        assertEquals(List.of(0), new ArrayList<>(opt.stateDict().state().keySet()), "only a has state");
        assertEquals(3L, ((Number) opt.stateDict().state().get(0).get("step")).longValue());

        // b's first step, three steps in, is the first step of a fresh optimizer: its count starts at 1.
        float[] gb = randomFloats(random, 2);
        Param fresh = ParamStore.of("b", -1f, 0.5f).param(0);
        Optimizer freshOpt = Optimizers.create(spec, List.of(fresh));
        fresh.setGrad(gb);
        freshOpt.step();
        store.param("b").setGrad(gb);
        store.param("a").setGrad(randomFloats(random, 3));
        opt.step();
        assertBitIdentical(fresh.values(), store.param("b").values(), spec + ": b's first step");
        assertEquals(1L, ((Number) opt.stateDict().state().get(1).get("step")).longValue());
        assertEquals(4L, ((Number) opt.stateDict().state().get(0).get("step")).longValue());
    }

    @Test
    void zeroGradZeroesAndKeepsTheGradientDefined() {
        ParamStore store = ParamStore.builder().add("a", 2).add("b", 3).build();
        Optimizer opt = Optimizers.create("adam(lr=0.1)", store.params());
        store.param("a").setGrad(1f, 2f);
        store.param("b").setGrad(3f, 4f, 5f);
        opt.step();
        opt.zeroGrad();
        assertArrayEquals(new float[5], store.grad());
        assertTrue(store.param("a").hasGrad() && store.param("b").hasGrad());
        // A zero gradient is still a step: it counts, and Adam's momentum carries the values on.
        float[] before = store.data().clone();
        opt.step();
        assertEquals(2L, ((Number) opt.stateDict().state().get(1).get("step")).longValue());
        assertFalse(Arrays.equals(before, store.data()));
    }

    @Test
    void zeroGradWithSetToNoneUndefinesTheGradient() {
        ParamStore store = ParamStore.builder().add("a", 2).add("b", 3).build();
        Optimizer opt = Optimizers.create("adam(lr=0.1)", store.params());
        store.param("a").setGrad(1f, 2f);
        store.param("b").setGrad(3f, 4f, 5f);
        opt.step();
        opt.zeroGrad(true);
        assertArrayEquals(new float[5], store.grad());
        assertFalse(store.param("a").hasGrad() || store.param("b").hasGrad());
        float[] before = store.data().clone();
        opt.step();
        assertArrayEquals(before, store.data(), "nothing has a gradient, so nothing moves");
        assertEquals(1L, ((Number) opt.stateDict().state().get(0).get("step")).longValue());
    }

    @Test
    void zeroGradTouchesOnlyTheOptimizersParameters() {
        ParamStore store = ParamStore.builder().add("a", 2).add("b", 3).build();
        Optimizer opt = Optimizers.create("sgd(lr=0.1)", List.of(store.param("a")));
        store.param("a").setGrad(1f, 2f);
        store.param("b").setGrad(3f, 4f, 5f);
        opt.zeroGrad(true);
        assertArrayEquals(new float[] {3f, 4f, 5f}, store.param("b").grad());
        assertTrue(store.param("b").hasGrad());
    }

    // ---- step(closure) -------------------------------------------------------------------------------

    @Test
    void stepWithAClosureEvaluatesItOnceBeforeUpdatingAndReturnsItsLoss() {
        Param w = ParamStore.of("w", 2f, -4f).param(0);
        Optimizer opt = Optimizers.create("sgd(lr=0.25)", List.of(w));
        AtomicInteger calls = new AtomicInteger();
        List<float[]> seen = new ArrayList<>();
        Optimizer.Closure closure = () -> {
            calls.incrementAndGet();
            float[] v = w.values();
            seen.add(v);
            w.setGrad(v[0], v[1]);
            return 0.5 * (v[0] * v[0] + v[1] * v[1]);
        };
        double loss = opt.step(closure);
        assertEquals(1, calls.get());
        assertEquals(10.0, loss);
        assertArrayEquals(new float[] {2f, -4f}, seen.get(0), "the closure ran before the update");
        assertArrayEquals(new float[] {1.5f, -3f}, w.values(), "the update used the closure's gradient");
        loss = opt.step(closure);
        assertEquals(2, calls.get());
        assertEquals(0.5 * (1.5 * 1.5 + 9), loss);
        assertArrayEquals(new float[] {1.125f, -2.25f}, w.values());
    }

    @Test
    void aClosureThatThrowsLeavesTheParametersAlone() {
        Param w = ParamStore.of("w", 2f).param(0);
        w.setGrad(1f);
        Optimizer opt = Optimizers.create("sgd(lr=0.25)", List.of(w));
        assertThrows(IllegalStateException.class, () -> opt.step(() -> {
            throw new IllegalStateException("no data");
        }));
        assertArrayEquals(new float[] {2f}, w.values());
    }

    // ---- learning rate between steps -------------------------------------------------------------

    @Test
    void settingTheLearningRateChangesTheNextStepExactly() {
        Param w = ParamStore.of("w", 1f, -2f, 0.75f).param(0);
        Optimizer opt = Optimizers.create("sgd(lr=0.5)", List.of(w));
        ParamGroup group = opt.paramGroups().get(0);
        assertEquals(0.5, group.lr());
        assertEquals(0.5, opt.lr());
        float[] g = {0.5f, 3f, -1.25f};
        float[] expected = w.values();

        w.setGrad(g);
        opt.step();
        for (int i = 0; i < 3; i++) {
            expected[i] = expected[i] - 0.5f * g[i];
        }
        assertArrayEquals(expected, w.values());

        group.setLr(0.125);
        assertEquals(0.125, opt.lr());
        opt.step();
        for (int i = 0; i < 3; i++) {
            expected[i] = expected[i] - 0.125f * g[i];
        }
        assertArrayEquals(expected, w.values());

        opt.setLr(0.0625);
        assertEquals(0.0625, group.lr());
        opt.step();
        for (int i = 0; i < 3; i++) {
            expected[i] = expected[i] - 0.0625f * g[i];
        }
        assertArrayEquals(expected, w.values());
        assertEquals("sgd(lr=0.0625, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=false, maximize=false)", opt.toString());
    }

    @Test
    void aNonDyadicLearningRateIsOneFusedMultiplyAddInFloat() {
        Param w = ParamStore.of("w", 0.3f).param(0);
        Optimizer opt = Optimizers.create("sgd(lr=0.1)", List.of(w));
        w.setGrad(0.7f);
        opt.step();
        assertEquals(Math.fma(0.7f, -0.1f, 0.3f), w.values()[0]);
    }

    @Test
    void aNegativeLearningRateIsRejectedAndTheOldOneKept() {
        ParamStore store = ParamStore.builder().add("a", 1).add("b", 1).build();
        Optimizer opt = Optimizers.parse("adam(lr=0.01)").buildGroups(List.of(
                ParamGroup.of(store.param("a")), ParamGroup.of(store.param("b")).with("lr", 0.02)));
        ParamGroup group = opt.paramGroups().get(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.setLr(-0.1));
        assertMentions(e, "adam:", "lr=-0.1", "must be >= 0");
        assertEquals(0.02, group.lr());
        assertThrows(IllegalArgumentException.class, () -> opt.setLr(-1));
        assertEquals(0.01, opt.paramGroups().get(0).lr());
        assertEquals(0.02, opt.paramGroups().get(1).lr());
        assertThrows(IllegalArgumentException.class, () -> group.setLr(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> group.set("lr", true));
        assertEquals(0.02, group.lr());
    }

    @Test
    void otherHyperparametersCanBeSetBetweenStepsAndAreChecked() {
        Param w = ParamStore.of("w", 1f).param(0);
        Optimizer opt = Optimizers.create("adam(lr=0.1)", List.of(w));
        ParamGroup group = opt.paramGroups().get(0);
        group.set("betas", List.of(0.5, 0.6));
        assertArrayEquals(new double[] {0.5, 0.6}, (double[]) group.get("betas"));
        assertEquals(0.6, group.real("betas", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.set("betas", new double[] {0.5, 1.0}));
        assertMentions(e, "element 1 (1.0)", "must be in [0, 1)");
        assertEquals(0.6, group.real("betas", 1));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> group.set("amsgrd", true)), "did you mean 'amsgrad'?");
        ((double[]) group.get("betas"))[0] = 0.99;
        assertEquals(0.5, group.real("betas", 0), "get returns a copy of a tuple");
    }

    @Test
    void aGroupsValuesCannotChangeTheOptimizer() {
        Param w = ParamStore.of("w", 1f).param(0);
        Optimizer opt = Optimizers.create("adam(lr=0.1, betas=(0.8, 0.9))", List.of(w));
        ParamGroup group = opt.paramGroups().get(0);
        ((double[]) group.values().get("betas"))[0] = 7.0;
        assertEquals(0.8, group.real("betas", 0), "a tuple read through values() is a copy");
        assertTrue(opt.toString().contains("betas=(0.8, 0.9)"), opt.toString());
        Param twin = ParamStore.of("w", 1f).param(0);
        Optimizer twinOpt = Optimizers.create("adam(lr=0.1, betas=(0.8, 0.9))", List.of(twin));
        w.setGrad(0.5f);
        twin.setGrad(0.5f);
        opt.step();
        twinOpt.step();
        assertArrayEquals(twin.values(), w.values());
    }

    @Test
    void aGroupMustBeAdoptedBeforeSetAndCannotUseWithAfterwards() {
        Param w = ParamStore.of("w", 1f).param(0);
        ParamGroup mine = ParamGroup.of(w);
        assertThrows(IllegalStateException.class, () -> mine.setLr(0.1));
        Optimizer opt = Optimizers.parse("adam").buildGroups(List.of(mine));
        assertThrows(IllegalStateException.class, () -> opt.paramGroups().get(0).with("lr", 0.1));
        assertThrows(UnsupportedOperationException.class, () -> opt.paramGroups().get(0).values().put("lr", 5.0));
        assertThrows(UnsupportedOperationException.class, () -> opt.paramGroups().add(mine));
    }

    // ---- parameter groups ----------------------------------------------------------------------------

    /** Per-group overrides give each group exactly what a separate optimizer with those values gives. */
    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr=0.1, momentum=0.9, dampening=0.2)", "adagrad(lr=0.1, lr_decay=0.3, initial_accumulator_value=0.1)",
            "rmsprop(lr=0.01, centered=true, momentum=0.5)", "adadelta(lr=0.5)", "adam(lr=0.1, amsgrad=true)",
            "nadam(lr=0.1, momentum_decay=0.1)"})
    void perGroupOverridesEqualSeparateOptimizers(String spec) {
        ParamStore store = ParamStore.builder().add("weight", 4, 3).add("bias", 3).build();
        SplittableRandom random = new SplittableRandom(21);
        store.param("weight").set(randomFloats(random, 12));
        store.param("bias").set(randomFloats(random, 3));
        OptimizerSpec parsed = Optimizers.parse(spec);
        double lr = (Double) parsed.values().get("lr");
        Optimizer grouped = parsed.buildGroups(List.of(
                ParamGroup.of(store.param("weight")).with("weight_decay", 0.1),
                ParamGroup.of(store.param("bias")).with("weight_decay", 0).with("lr", lr * 2)));
        assertEquals(0.1, grouped.paramGroups().get(0).real("weight_decay"));
        assertEquals(0.0, grouped.paramGroups().get(1).real("weight_decay"));
        assertEquals(lr, grouped.paramGroups().get(0).lr());
        assertEquals(lr * 2, grouped.paramGroups().get(1).lr());

        Param weight = ParamStore.of("weight", store.param("weight").values()).param(0);
        Param bias = ParamStore.of("bias", store.param("bias").values()).param(0);
        String base = spec.substring(0, spec.length() - 1);
        Optimizer weightOpt = Optimizers.create(base + ", weight_decay=0.1)", List.of(weight));
        Optimizer biasOpt = Optimizers.create(base.replace("lr=" + lr, "lr=" + lr * 2) + ", weight_decay=0)", List.of(bias));
        assertEquals(lr * 2, biasOpt.lr());
        for (int s = 0; s < 5; s++) {
            float[] gw = randomFloats(random, 12);
            float[] gb = randomFloats(random, 3);
            store.param("weight").setGrad(gw);
            store.param("bias").setGrad(gb);
            weight.setGrad(gw);
            bias.setGrad(gb);
            grouped.step();
            weightOpt.step();
            biasOpt.step();
            assertBitIdentical(weight.values(), store.param("weight").values(), spec + " weight, step " + (s + 1));
            assertBitIdentical(bias.values(), store.param("bias").values(), spec + " bias, step " + (s + 1));
        }
        assertEquals(0.1, weightOpt.paramGroups().get(0).real("weight_decay"), "sanity: the two differ in decay");
    }

    @Test
    void aParameterInTwoGroupsIsRejected() {
        ParamStore store = ParamStore.builder().add("w", 2).add("b", 1).build();
        OptimizerSpec spec = Optimizers.parse("adam");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.buildGroups(List.of(
                ParamGroup.of(store.param("w"), store.param("b")), ParamGroup.of(store.param("b")))));
        assertMentions(e, "adam:", "'b'", "group 0", "group 1");
        assertThrows(IllegalArgumentException.class, () -> spec.build(List.of(store.param("w"), store.param("w"))));
    }

    @Test
    void emptyGroupListsAndEmptyGroupsAreRejected() {
        OptimizerSpec spec = Optimizers.parse("sgd(lr=0.1)");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> spec.buildGroups(List.of())), "sgd:", "empty");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> spec.build(List.of())), "at least one parameter");
        assertThrows(IllegalArgumentException.class, ParamGroup::of);
    }

    @Test
    void parametersFromTwoStoresStepLikeSeparateOptimizers() {
        ParamStore first = ParamStore.builder().add("w", 5).add("b", 1).build();
        ParamStore second = ParamStore.builder().add("w", 7).build();
        SplittableRandom random = new SplittableRandom(8);
        first.param("w").set(randomFloats(random, 5));
        first.param("b").set(randomFloats(random, 1));
        second.param("w").set(randomFloats(random, 7));
        Optimizer both = Optimizers.create("adam(lr=0.1, amsgrad=true)",
                List.of(first.param("w"), second.param("w"), first.param("b")));

        Param w1 = ParamStore.of("w", first.param("w").values()).param(0);
        Param w2 = ParamStore.of("w", second.param("w").values()).param(0);
        Param b1 = ParamStore.of("b", first.param("b").values()).param(0);
        List<Optimizer> separate = List.of(Optimizers.create("adam(lr=0.1, amsgrad=true)", List.of(w1)),
                Optimizers.create("adam(lr=0.1, amsgrad=true)", List.of(w2)),
                Optimizers.create("adam(lr=0.1, amsgrad=true)", List.of(b1)));
        for (int s = 0; s < 4; s++) {
            float[] g1 = randomFloats(random, 5);
            float[] g2 = randomFloats(random, 7);
            float[] g3 = randomFloats(random, 1);
            first.param("w").setGrad(g1);
            second.param("w").setGrad(g2);
            first.param("b").setGrad(g3);
            w1.setGrad(g1);
            w2.setGrad(g2);
            b1.setGrad(g3);
            both.step();
            separate.forEach(Optimizer::step);
            assertBitIdentical(w1.values(), first.param("w").values(), "first store, step " + (s + 1));
            assertBitIdentical(w2.values(), second.param("w").values(), "second store, step " + (s + 1));
            assertBitIdentical(b1.values(), first.param("b").values(), "first store's b, step " + (s + 1));
        }
        assertEquals(3, both.stateDict().state().size());
    }

    // ---- aliases ---------------------------------------------------------------------------------------

    private static List<float[]> trajectory(String spec, int steps) {
        ParamStore store = ParamStore.builder().add("a", 7).add("b", 1).build();
        SplittableRandom random = new SplittableRandom(99);
        store.param("a").set(randomFloats(random, 7));
        store.param("b").set(randomFloats(random, 1));
        Optimizer opt = Optimizers.create(spec, store.params());
        List<float[]> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            store.param("a").setGrad(randomFloats(random, 7));
            store.param("b").setGrad(randomFloats(random, 1));
            opt.step();
            out.add(store.data().clone());
        }
        return out;
    }

    private static void assertSameTrajectory(String expected, String actual) {
        List<float[]> a = trajectory(expected, 6);
        List<float[]> b = trajectory(actual, 6);
        for (int s = 0; s < a.size(); s++) {
            assertBitIdentical(a.get(s), b.get(s), actual + " vs " + expected + " at step " + (s + 1));
        }
        assertEquals(Optimizers.parse(expected).toString(), Optimizers.parse(actual).toString());
    }

    @Test
    void momentumIsSgdWithMomentumPointNine() {
        assertSameTrajectory("sgd(lr=0.1, momentum=0.9)", "momentum(lr=0.1)");
        assertEquals(0.9, Optimizers.parse("momentum(lr=0.1)").values().get("momentum"));
        assertEquals(false, Optimizers.parse("momentum(lr=0.1)").values().get("nesterov"));
        assertEquals("sgd", Optimizers.create("momentum(lr=0.1)", ParamStore.of("w", 1f).params()).name());
        // Sanity: the alias is not plain SGD.
        assertFalse(Arrays.equals(trajectory("sgd(lr=0.1)", 3).get(2), trajectory("momentum(lr=0.1)", 3).get(2)));
    }

    @Test
    void nagIsSgdWithNesterovMomentumPointNine() {
        assertSameTrajectory("sgd(lr=0.1, momentum=0.9, nesterov=true)", "nag(lr=0.1)");
        assertFalse(Arrays.equals(trajectory("momentum(lr=0.1)", 3).get(2), trajectory("nag(lr=0.1)", 3).get(2)));
    }

    @Test
    void anAliasesValuesCanBeOverridden() {
        assertSameTrajectory("sgd(lr=0.1, momentum=0.5)", "momentum(lr=0.1, momentum=0.5)");
        assertSameTrajectory("sgd(lr=0.1, momentum=0.5, nesterov=true)", "nag(lr=0.1, momentum=0.5)");
        assertSameTrajectory("sgd(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)",
                "momentum(lr=0.1, dampening=0.3, weight_decay=0.01)");
        assertSameTrajectory("sgd(lr=0.1, momentum=0.0)", "momentum(lr=0.1, momentum=0)");
        assertSameTrajectory("sgd(lr=0.1, momentum=0.9)", "nag(lr=0.1, nesterov=false)");
    }

    // ---- maximize ---------------------------------------------------------------------------------------

    /** maximize=true is stepping on the negated gradient, weight decay included, bit for bit. */
    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.1)", "sgd(lr=0.1, weight_decay=0.1)",
            "nag(lr=0.1)", "adagrad(lr=0.1, lr_decay=0.3, initial_accumulator_value=0.1, weight_decay=0.1)",
            "rmsprop(lr=0.01, centered=true, momentum=0.5, weight_decay=0.1)", "rmsprop(lr=0.01)",
            "adadelta(lr=0.5, weight_decay=0.1)", "adam(lr=0.1, weight_decay=0.1)", "adam(lr=0.1, amsgrad=true)"})
    void maximizeEqualsSteppingOnTheNegatedGradient(String spec) {
        String maximizing = spec.substring(0, spec.length() - 1) + ", maximize=true)";
        ParamStore up = ParamStore.builder().add("a", 7).add("b", 1).build();
        ParamStore down = ParamStore.builder().add("a", 7).add("b", 1).build();
        SplittableRandom random = new SplittableRandom(5);
        float[] init = randomFloats(random, 8);
        System.arraycopy(init, 0, up.data(), 0, 8);
        System.arraycopy(init, 0, down.data(), 0, 8);
        Optimizer upOpt = Optimizers.create(maximizing, up.params());
        Optimizer downOpt = Optimizers.create(spec, down.params());
        assertTrue(upOpt.paramGroups().get(0).flag("maximize"));
        for (int s = 0; s < 5; s++) {
            float[] g = randomFloats(random, 8);
            System.arraycopy(g, 0, up.grad(), 0, 8);
            for (int i = 0; i < 8; i++) {
                down.grad()[i] = -g[i];
            }
            up.markGradsDefined();
            down.markGradsDefined();
            upOpt.step();
            downOpt.step();
            assertBitIdentical(down.data(), up.data(), maximizing + " at step " + (s + 1));
        }
        assertFalse(Arrays.equals(init, up.data()));
    }

    @Test
    void maximizeMovesUphill() {
        Param w = ParamStore.of("w", 0f).param(0);
        Optimizer opt = Optimizers.create("adam(lr=0.1, maximize=true)", List.of(w));
        w.setGrad(1f);
        opt.step();
        assertTrue(w.values()[0] > 0, "gradient ascent on a positive gradient goes up");
    }

    // ---- misc -------------------------------------------------------------------------------------------

    @Test
    void theOptimizerExposesItsAlgorithmAndGroups() {
        ParamStore store = ParamStore.builder().add("a", 2).add("b", 1).build();
        Optimizer opt = Optimizers.create("rmsprop(momentum=0.5)", store.params());
        assertEquals("rmsprop", opt.name());
        assertSame(RmsProp.ALGORITHM, opt.algorithm());
        assertEquals(1, opt.paramGroups().size());
        assertEquals(store.params(), opt.paramGroups().get(0).params());
        assertEquals(0.5, opt.paramGroups().get(0).real("momentum"));
        assertEquals(0.99, opt.paramGroups().get(0).real("alpha"));
        assertFalse(opt.paramGroups().get(0).flag("centered"));
    }

    @Test
    void optimizersOverTheSameValuesAreIndependent() {
        for (String spec : SPECS) {
            List<float[]> once = trajectory(spec, 4);
            List<float[]> again = trajectory(spec, 4);
            for (int s = 0; s < 4; s++) {
                assertBitIdentical(once.get(s), again.get(s), spec + " step " + (s + 1));
            }
        }
    }
}
