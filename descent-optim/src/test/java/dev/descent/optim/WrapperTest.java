package dev.descent.optim;

import dev.descent.optim.problem.Problem;
import dev.descent.optim.schedule.GroupBase;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.optim.schedule.Schedules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.descent.optim.ParamStoreTest.assertMentions;
import static dev.descent.optim.StateDictTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lookahead, EMA and SWA: hand-computed steps, the laws that tie them to their inner optimizer, PyTorch's SWALR
 * rates, spec parsing and its errors, and convergence on the four test problems. Save/load is in
 * {@link RegistryPropertyTest}.
 */
class WrapperTest {
    /** Steps {@code opt} over {@code p} with the given gradients (one element each); returns w after each step. */
    private static float[][] run(Optimizer opt, Param p, float[]... grads) {
        float[][] out = new float[grads.length][];
        for (int t = 0; t < grads.length; t++) {
            p.setGrad(grads[t]);
            opt.step();
            out[t] = p.values();
        }
        return out;
    }

    @Test
    void lookaheadByHand() {
        // sgd(lr=0.1), k=2, alpha=0.5, from w=1 and w=-2; gradients (0.5, 1), (-1, 2), (2, 0), (1, 1).
        Param p = ParamStore.of("w", 1f, -2f).param(0);
        Optimizer opt = Optimizers.create("lookahead(sgd(lr=0.1), k=2, alpha=0.5)", List.of(p));
        float[][] w = run(opt, p, new float[] {0.5f, 1f}, new float[] {-1f, 2f}, new float[] {2f, 0f}, new float[] {1f, 1f});
        // step 1: fast = (0.95, -2.1); step 2: fast = (1.05, -2.3), slow = (1 + 0.5*0.05, -2 - 0.5*0.3) = (1.025, -2.15)
        // step 3: fast = (0.825, -2.15); step 4: fast = (0.725, -2.25), slow = (1.025 - 0.5*0.3, -2.15 - 0.05) = (0.875, -2.2)
        double[][] expected = {{0.95, -2.1}, {1.025, -2.15}, {0.825, -2.15}, {0.875, -2.2}};
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(expected[t][i], w[t][i], 1e-6, "step " + (t + 1) + " element " + i);
            }
        }
    }

    /** k=1, alpha=1 synchronises to the fast weights after every step: exactly the inner optimizer. */
    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr=0.1, momentum=0.9)", "adam(lr=0.01)", "rmsprop(lr=0.01, centered=true)", "lion(lr=0.01)"})
    void lookaheadWithOneStepAndFullAlphaIsTheInnerOptimizer(String inner) {
        assertSameTrajectory(inner, "lookahead(" + inner + ", k=1, alpha=1)");
    }

    /** EMA never touches the weights; SWA neither, when swa_lr is the inner rate and it is reached at once. */
    @ParameterizedTest
    @ValueSource(strings = {"ema(adam(lr=0.01), decay=0.5)", "swa(adam(lr=0.01), swa_start=2, swa_lr=0.01, anneal_steps=0)"})
    void averagingLeavesTheTrajectoryAloneUntilTheRateChanges(String spec) {
        assertSameTrajectory("adam(lr=0.01)", spec);
    }

    private static void assertSameTrajectory(String reference, String spec) {
        float[][][] grads = StateDictTest.gradients(3, 12);
        ParamStore a = StateDictTest.newStore(9);
        ParamStore b = StateDictTest.newStore(9);
        Optimizer plain = Optimizers.create(reference, a.params());
        Optimizer wrapped = Optimizers.create(spec, b.params());
        for (int s = 0; s < grads.length; s++) {
            StateDictTest.step(plain, a, grads[s]);
            StateDictTest.step(wrapped, b, grads[s]);
            assertBitIdentical(a.data(), b.data(), spec + " at step " + (s + 1));
        }
    }

    @Test
    void lookaheadWithAlphaZeroReturnsToTheStartEveryKSteps() {
        ParamStore store = StateDictTest.newStore(4);
        float[] start = store.data().clone();
        Optimizer opt = Optimizers.create("lookahead(adam(lr=0.1), k=3, alpha=0)", store.params());
        float[][][] grads = StateDictTest.gradients(8, 6);
        for (int s = 0; s < 6; s++) {
            StateDictTest.step(opt, store, grads[s]);
            if (s == 1) {
                assertFalse(Arrays.equals(start, store.data()), "the inner steps move the weights");
            }
        }
        // a and c stepped 6 times and synchronised back after steps 3 and 6; late and frozen never stepped;
        // b skipped step 2, so it counts 5 steps and moved after its synchronisation
        for (String name : List.of("a", "c", "late", "frozen")) {
            Param p = store.param(name);
            assertBitIdentical(Arrays.copyOfRange(start, p.offset(), p.offset() + p.size()), p.values(), name + " after 6 steps");
        }
        Param b = store.param("b");
        assertFalse(Arrays.equals(Arrays.copyOfRange(start, b.offset(), b.offset() + b.size()), b.values()));
    }

    /** A wrapper's own pass, split across threads, gives the same bits as on one thread: weights and averages. */
    @ParameterizedTest
    @ValueSource(strings = {"lookahead(adam(), k=2, alpha=0.3)", "lookahead(sgd(lr=0.1), k=3, alpha=0.7)",
            "ema(adam(), decay=0.6)", "swa(adam(), swa_start=1, swa_lr=0.01)"})
    void aSplitStepIsBitIdentical(String spec) {
        int saved = StepThreads.threshold;
        int savedChunk = StepThreads.chunk;
        int savedDivisor = StepThreads.chunkDivisor;
        try {
            float[] single = splitRun(spec, Integer.MAX_VALUE);
            StepThreads.chunk = 7;
            StepThreads.chunkDivisor = Integer.MAX_VALUE;
            assertArrayEquals(single, splitRun(spec, 1));
        } finally {
            StepThreads.threshold = saved;
            StepThreads.chunk = savedChunk;
            StepThreads.chunkDivisor = savedDivisor;
        }
    }

    /** The weights after 7 steps, followed by the averages for an averaging wrapper. */
    private static float[] splitRun(String spec, int threshold) {
        StepThreads.threshold = threshold;
        ParamStore store = ParamStore.builder().add("a", 1).add("b", 17, 3).add("c", 1001).add("d", 2).build();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < store.size(); i++) {
            store.data()[i] = (float) random.nextGaussian();
        }
        Optimizer opt = Optimizers.create(spec, store.params());
        for (int step = 0; step < 7; step++) {
            for (int i = 0; i < store.size(); i++) {
                store.grad()[i] = (float) random.nextGaussian();
            }
            store.markGradsDefined();
            opt.step();
        }
        float[] weights = store.data().clone();
        if (!(opt instanceof WeightAveraging avg)) {
            return weights;
        }
        avg.swapAveraged();
        float[] out = Arrays.copyOf(weights, 2 * weights.length);
        System.arraycopy(store.data(), 0, out, weights.length, weights.length);
        return out;
    }

    @Test
    void emaByHand() {
        // sgd(lr=0.1) with gradient 1 from w=1: w = 0.9, 0.8, 0.7; the average copies 0.9, then
        // 0.9*0.9 + 0.1*0.8 = 0.89, then 0.9*0.89 + 0.1*0.7 = 0.871
        Param p = ParamStore.of("w", 1f).param(0);
        Ema opt = (Ema) Optimizers.create("ema(sgd(lr=0.1), decay=0.9)", List.of(p));
        assertFalse(opt.hasAverage(p));
        double[] expected = {0.9, 0.89, 0.871};
        for (double e : expected) {
            p.setGrad(1f);
            opt.step();
            assertEquals(e, opt.averaged(p)[0], 1e-6);
        }
        assertEquals(0.7f, p.values()[0], 1e-6);
    }

    @Test
    void swappingTheAverageInAndBackRestoresEveryBit() {
        ParamStore store = StateDictTest.newStore(2);
        WeightAveraging opt = (WeightAveraging) Optimizers.create("ema(adam(lr=0.1), decay=0.7)", store.params());
        assertMentions(assertThrows(IllegalStateException.class, opt::swapAveraged), "no average", "first step");
        float[][][] grads = StateDictTest.gradients(6, 4);
        for (float[][] g : grads) {
            StateDictTest.step(opt, store, g);
        }
        float[] weights = store.data().clone();
        float[] averageOfC = opt.averaged(store.param("c"));
        opt.swapAveraged();
        assertArrayEquals(averageOfC, store.param("c").values());
        assertArrayEquals(Arrays.copyOfRange(weights, store.param("frozen").offset(), store.param("frozen").offset() + 3),
                store.param("frozen").values(), "a parameter never stepped has no average and keeps its values");
        assertFalse(opt.hasAverage(store.param("frozen")));
        assertArrayEquals(Arrays.copyOfRange(weights, store.param("c").offset(), store.param("c").offset() + 33),
                opt.averaged(store.param("c")), "the weights wait in the average's place");
        opt.swapAveraged();
        assertBitIdentical(weights, store.data(), "after swapping back");

        float[][] seen = new float[1][];
        assertThrows(IllegalStateException.class, () -> opt.withAveraged(() -> {
            seen[0] = store.param("c").values();
            throw new IllegalStateException("evaluation failed");
        }));
        assertArrayEquals(averageOfC, seen[0]);
        assertBitIdentical(weights, store.data(), "withAveraged swaps back even when the action throws");
        assertMentions(assertThrows(IllegalStateException.class, () -> opt.averaged(store.param("frozen"))), "frozen", "no average");
    }

    @Test
    void emaAtTheEnds() {
        // decay=0: the average is the latest weights; decay=1: the average stays at the weights after the first step
        Param p = ParamStore.of("w", 1f, 2f).param(0);
        Ema latest = (Ema) Optimizers.create("ema(sgd(lr=0.1), decay=0)", List.of(p));
        Param q = ParamStore.of("w", 1f, 2f).param(0);
        Ema first = (Ema) Optimizers.create("ema(sgd(lr=0.1), decay=1)", List.of(q));
        float[] afterOne = null;
        for (int t = 0; t < 5; t++) {
            p.setGrad(0.3f * t, -1f);
            latest.step();
            q.setGrad(0.3f * t, -1f);
            first.step();
            afterOne = t == 0 ? q.values() : afterOne;
            assertArrayEquals(p.values(), latest.averaged(p));
            assertArrayEquals(afterOne, first.averaged(q));
        }
    }

    /** The SWA average is the mean of the iterates after the steps it samples: swa_start + 1, then every swa_freq-th. */
    @Test
    void swaAveragesEqualTheMeanOfTheIterates() {
        Problem problem = Problem.QUADRATIC;
        Param p = ParamStore.of("w", problem.defaultInit()).param(0);
        Swa opt = (Swa) Optimizers.create("swa(sgd(lr=0.0015, momentum=0.9), swa_start=5, swa_lr=0.001, swa_freq=3)", List.of(p));
        double[] sum = new double[problem.dimension()];
        int count = 0;
        float[] g = new float[problem.dimension()];
        for (int t = 1; t <= 40; t++) {
            problem.gradient(p.values(), g);
            p.setGrad(g);
            opt.step();
            if (t == 5) {
                assertFalse(opt.hasAverage(p), "nothing is averaged during the first swa_start steps");
                assertMentions(assertThrows(IllegalStateException.class, opt::swapAveraged), "swa_start=5");
            }
            if (t > 5 && (t - 6) % 3 == 0) {
                float[] w = p.values();
                for (int i = 0; i < w.length; i++) {
                    sum[i] += w[i];
                }
                count++;
            }
        }
        assertEquals(12, count);
        float[] avg = opt.averaged(p);
        for (int i = 0; i < avg.length; i++) {
            assertEquals(sum[i] / count, avg[i], 1e-6 * Math.max(1, Math.abs(sum[i] / count)), "element " + i);
        }
        assertEquals(12.0, opt.stateDict().state().get(0).get("swa.n_averaged"));
    }

    /** The rates PyTorch 1.13 gives: SWALR(SGD(lr=0.1), swa_lr=0.02, anneal_epochs=A, anneal_strategy=S), stepped 5 times. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cos    | 3 | 0.1, 0.08000000000000002, 0.040000000000000015, 0.02, 0.02, 0.02",
        "linear | 3 | 0.1, 0.07333333333333335, 0.046666666666666676, 0.02, 0.02, 0.02",
        "cos    | 0 | 0.02, 0.02, 0.02, 0.02, 0.02, 0.02",
    })
    void swaAnnealsTheRateAsPytorchsSwalr(String strategy, int anneal, String rates) {
        double[] expected = Arrays.stream(rates.split(",")).mapToDouble(Double::parseDouble).toArray();
        Param p = ParamStore.of("w", 1f).param(0);
        Optimizer opt = Optimizers.create("swa(sgd(lr=0.1), swa_start=4, swa_lr=0.02, anneal_epochs=" + anneal
                + ", anneal_strategy=" + strategy + ")", List.of(p));
        List<Double> used = new ArrayList<>();
        for (int t = 0; t < 4 + expected.length; t++) {
            p.setGrad(1f);
            // the rate step t + 1 uses is what the wrapper sets right before it; read it from the inner group after
            opt.step();
            used.add(opt.lr());
        }
        for (int t = 0; t < 4; t++) {
            assertEquals(0.1, used.get(t), 0.0, "step " + (t + 1) + " is before averaging starts");
        }
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], used.get(4 + j), 0.0, "SWALR after " + j + " steps (optimizer step " + (5 + j) + ")");
        }
    }

    /**
     * PyTorch 1.13's SGD with SWALR built before step 11 and AveragedModel updated after steps 11..30, on the
     * quadratic problem (tools/golden/swa.py): the weights and the average agree to the last bit.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cos    | 0.9 | 0.0005 | 0.838771402835846, 0.0033797866199165583, -0.15113066136837006, 0.1635459065437317 "
                + "| 0.8790752291679382, 0.1267164796590805, 0.08644639700651169, -0.02210381254553795",
        "linear | 0.0 | 0.001  | 0.9641358256340027, 0.6925861239433289, 0.02018999680876732, 0.0 "
                + "| 0.9734579920768738, 0.7640976905822754, 0.06727756559848785, -1.705078102531843e-05",
    })
    void swaIsPytorchsSgdWithSwalrAndAveragedModel(String strategy, double momentum, double swaLr, String weights, String average) {
        Problem problem = Problem.QUADRATIC;
        Param p = ParamStore.of("w", problem.defaultInit()).param(0);
        Swa opt = (Swa) Optimizers.create("swa(sgd(lr=0.0015, momentum=" + momentum + "), swa_start=10, swa_lr=" + swaLr
                + ", anneal_steps=5, anneal_strategy=" + strategy + ")", List.of(p));
        float[] g = new float[problem.dimension()];
        for (int t = 0; t < 30; t++) {
            problem.gradient(p.values(), g);
            p.setGrad(g);
            opt.step();
        }
        assertArrayEquals(floats(weights), p.values(), "the weights");
        assertArrayEquals(floats(average), opt.averaged(p), "the average");
    }

    private static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Double.parseDouble(parts[i].strip());
        }
        return out;
    }

    @Test
    void lrAndGroupsAreTheInnerOptimizers() {
        ParamStore store = StateDictTest.newStore(1);
        Optimizer opt = Optimizers.create("lookahead(ema(nag(lr=0.05)))", store.params());
        Optimizer inner = ((OptimizerWrapper) ((OptimizerWrapper) opt).inner()).inner();
        assertSame(inner.paramGroups(), opt.paramGroups());
        assertEquals(0.05, opt.lr());
        opt.setLr(0.2);
        assertEquals(0.2, inner.lr());
        Scheduler run = Schedules.parse("onecyclelr(max_lr=1, total_steps=10)").start(GroupBase.of(opt));
        assertEquals(0.9, GroupBase.of(opt).get(0).momentum(), "a schedule sees the inner group's momentum");
        assertEquals(0.04, run.lr(0), 1e-12);
    }

    @Test
    void specsRoundTrip() {
        for (String text : List.of("lookahead(adam(lr=0.001), k=5, alpha=0.5)", "LookAhead(SGD(lr=0.1), K=2)",
                "ema(nag(lr=0.1))", "swa(sgd(lr=0.1), swa_start=100, swa_lr=0.05, anneal_epochs=5, anneal_strategy='linear')",
                "lookahead(swa(adam(), swa_start=3, swa_lr=0.01), alpha=0.8)")) {
            OptimizerSpec spec = Optimizers.parse(text);
            assertTrue(spec.isComposite());
            String canonical = spec.toString();
            assertEquals(canonical, Optimizers.parse(canonical).toString(), text);
            assertEquals(canonical, spec.build(ParamStore.of("w", 1f).params()).toString(), "the optimizer prints its spec");
        }
        assertEquals("lookahead(adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.0, amsgrad=false, maximize=false, eps_placement=\"torch\"), "
                + "k=5, alpha=0.5)", Optimizers.parse("lookahead(adam())").toString());
        assertEquals("swa(sgd(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=false, maximize=false), "
                + "swa_start=100, swa_lr=0.05, anneal_steps=5, swa_freq=1, anneal_strategy=linear)",
                Optimizers.parse("swa(sgd(lr=0.1), swa_start=100, swa_lr=0.05, anneal_epochs=5, anneal_strategy=LINEAR)").toString());
        assertInstanceOf(Lookahead.class, Optimizers.create("lookahead(adam(), foreach=true)", ParamStore.of("w", 1f).params()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lookahead(adam(), kk=5)                      | unknown key for lookahead 'kk'; did you mean 'k'?",
        "lookahead(k=5)                               | lookahead: takes the optimizer it wraps as its one positional argument, e.g. lookahead(adam(lr=0.001)",
        "lookahead                                    | one positional argument",
        "lookahead(adam(), sgd(lr=0.1))               | one positional argument",
        "lookahead(0.5)                               | one positional argument",
        "lookahead(adm())                             | unknown optimizer 'adm'; did you mean 'adam'?",
        "lookahead(adam(), k=2.5)                     | lookahead: k=2.5 is invalid: must be an integer >= 1",
        "lookahead(adam(), k=0)                       | k=0 is invalid: must be an integer >= 1",
        "lookahead(adam(), alpha=1.5)                 | lookahead: alpha=1.5 is invalid: must be in [0, 1]",
        "lookahead(adam(lr=-1))                       | adam: lr=-1 is invalid",
        "ema(adam(), decay=1.01)                      | ema: decay=1.01 is invalid: must be in [0, 1]",
        "ema(adam(), decy=0.9)                        | did you mean 'decay'?",
        "swa(sgd(lr=0.1), swa_lr=0.05)                | swa: swa_start is required",
        "swa(sgd(lr=0.1), swa_start=10)               | swa: swa_lr is required",
        "swa(sgd(lr=0.1), swa_start=-1, swa_lr=0.1)   | swa: swa_start=-1 is invalid: must be an integer >= 0",
        "swa(sgd(lr=0.1), swa_start=1, swa_lr=0.1, anneal_strategy=cosine) | swa: anneal_strategy=cosine is invalid: must be one of cos, linear",
        "swa(sgd(lr=0.1), swa_start=1, swa_lr=0.1, anneal_strategy=1) | swa: anneal_strategy=1 is not a string",
        "swa(sgd(lr=0.1), swa_start=1, swa_lr=0.1, anneal_epochs=2, anneal_steps=3) | anneal_steps is given twice, as anneal_epochs and as anneal_steps",
        "swa(sgd(lr=0.1), swa_start=1, swa_lr=0.1, swa_frq=2) | unknown key for swa 'swa_frq'; did you mean 'swa_freq'?",
    })
    void badSpecsSayWhatIsWrong(String spec, String message) {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Optimizers.parse(spec)), message);
    }

    @Test
    void theJavaConstructorsAreTheSpecs() {
        List<Param> params = ParamStore.of("w", 1f).params();
        Optimizer adam = Optimizers.create("adam(lr=0.01)", params);
        assertEquals(Optimizers.parse("lookahead(adam(lr=0.01), k=3, alpha=0.6)").toString(), new Lookahead(adam, 3, 0.6).toString());
        assertEquals(Optimizers.parse("ema(adam(lr=0.01), decay=0.5)").toString(), new Ema(adam, 0.5).toString());
        assertEquals(Optimizers.parse("swa(adam(lr=0.01), swa_start=7, swa_lr=0.02)").toString(), new Swa(adam, 7, 0.02).toString());
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new Lookahead(adam, 0, 0.5)), "k=0 is invalid");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new Swa(adam, Map.of("swa_start", 1.0, "swa_lr", 0.1,
                "anneal_steps", 10.0, "swa_freq", 1.0), "cosine")), "anneal_strategy=cosine is invalid");
    }

    @Test
    void aWrapperCannotBeBuiltWithoutItsInnerOptimizer() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Lookahead.ALGORITHM.create(java.util.Map.of(), List.of(ParamGroup.of(ParamStore.of("w", 1f).params())))),
                "lookahead wraps another optimizer", "lookahead(adam(lr=0.001), k=5, alpha=0.5)");
    }

    @Test
    void loadingChecksWhatWasSaved() {
        ParamStore store = StateDictTest.newStore(1);
        Optimizer plain = Optimizers.create("adam()", store.params());
        Optimizer wrapped = Optimizers.create("lookahead(adam())", store.params());
        StateDictTest.step(wrapped, store, StateDictTest.gradients(1, 1)[0]);
        assertMentions(assertThrows(IllegalArgumentException.class, () -> wrapped.loadStateDict(plain.stateDict())),
                "no 'lookahead.' entries");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> plain.loadStateDict(wrapped.stateDict())),
                "unknown key for adam 'lookahead.k'");
        StateDict saved = wrapped.stateDict();
        Optimizer ema = Optimizers.create("ema(adam())", store.params());
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ema.loadStateDict(saved)), "no 'ema.' entries");

        Swa swa = (Swa) Optimizers.create("swa(adam(), swa_start=1, swa_lr=0.1)", store.params());
        StateDict swaSaved = swa.stateDict();
        List<java.util.Map<String, Object>> groups = swaSaved.paramGroups();
        groups.get(0).put("swa.steps", -3L);
        assertMentions(assertThrows(IllegalArgumentException.class, () -> swa.loadStateDict(new StateDict(groups, swaSaved.state()))),
                "swa.steps=-3 is invalid");
        groups.get(0).put("swa.steps", 0L);
        groups.get(0).put("swa.stps", 0L);
        assertMentions(assertThrows(IllegalArgumentException.class, () -> swa.loadStateDict(new StateDict(groups, swaSaved.state()))),
                "unknown key for swa state 'stps'; did you mean 'steps'?");
    }

    @Test
    void nestedWrappersOfOneKindNumberTheirState() {
        ParamStore store = StateDictTest.newStore(1);
        Optimizer opt = Optimizers.create("ema(ema(adam(), decay=0.5), decay=0.9)", store.params());
        StateDictTest.step(opt, store, StateDictTest.gradients(1, 1)[0]);
        StateDict saved = opt.stateDict();
        assertEquals(0.9, saved.paramGroups().get(0).get("ema2.decay"));
        assertEquals(0.5, saved.paramGroups().get(0).get("ema.decay"));
        assertTrue(saved.state().get(0).containsKey("ema2.average"));
    }

    /**
     * 500 steps on each of the four problems cut the loss at least tenfold, measured at the weights that
     * matter: the lookahead's (synchronised) weights, the EMA and SWA averages.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "lookahead(adam(lr=0.1))",
        "lookahead(sgd(lr=0.001, momentum=0.9), k=10, alpha=0.8)",
        "ema(adam(lr=0.1), decay=0.9)",
        "swa(adam(lr=0.1), swa_start=400, swa_lr=0.01, anneal_steps=20)",
    })
    void convergesOnTheFourProblems(String spec) {
        PaperOptimizerTest.assertConvergesOnTheFourProblems(spec, 500);
    }
}
