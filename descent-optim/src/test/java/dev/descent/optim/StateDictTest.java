package dev.descent.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.descent.optim.ParamStoreTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * stateDict() / loadStateDict(): save, load into a fresh optimizer, then step gives bit-identical values to
 * stepping on; snapshots are deep copies; a rejected load changes nothing.
 */
public class StateDictTest {
    /** a(1), b(7), c(3x11), late(5), frozen(3): odd sizes, a parameter that starts late and one never stepped. */
    private static final String[] NAMES = {"a", "b", "c", "late", "frozen"};
    private static final int BEFORE = 6;
    private static final int AFTER = 7;

    static Stream<String> configurations() {
        return Stream.of(
                "sgd(lr=0.1)",
                "sgd(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)",
                "nag(lr=0.05, weight_decay=0.02)",
                "sgd(lr=0.1, momentum=0.5, maximize=true)",
                "adagrad()",
                "adagrad(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.3, weight_decay=0.01)",
                "rmsprop()",
                "rmsprop(lr=0.01, centered=true, momentum=0.9)",
                "rmsprop(alpha=0.9, weight_decay=0.1, momentum=0.5, maximize=true)",
                "adadelta()",
                "adadelta(lr=0.5, rho=0.5, eps=1e-4, weight_decay=0.1, maximize=true)",
                "adam()",
                "adam(lr=0.01, amsgrad=true)",
                "adam(betas=(0.5, 0.9), weight_decay=0.1, maximize=true, amsgrad=true)",
                "nadam()",
                "nadam(lr=0.01, momentum_decay=0.01, weight_decay=0.05)",
                "adamw(lr=0.01, amsgrad=true)", "adamax(weight_decay=0.1)", "radam(lr=0.01)",
                "asgd(lr=0.05, t0=3)", "rprop(lr=0.05, maximize=true)",
                "lion(lr=0.01, weight_decay=0.1)",
                "lamb(lr=0.01, weight_decay=0.01)", "lamb(bias_correction=false)",
                "lars(lr=0.1, momentum=0.9, weight_decay=0.01)", "lars(lr=0.1, momentum=0.9, nesterov=true, always_adapt=true)",
                "lars(lr=0.5, weight_decay=0.01, trust_clip=true)",
                "adabelief(lr=0.01, weight_decay=0.1)", "adabelief(lr=0.01, amsgrad=true, rectify=false)", "adabelief(weight_decouple=false, weight_decay=0.1)",
                "yogi(weight_decay=0.01)",
                "adafactor()", "adafactor(lr=0.01, relative_step=false, beta1=0.9, weight_decay=0.1, clip_threshold=0.5)",
                "ftrl(lr=0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.1, beta=0.5)",
                "ftrl(learning_rate_power=-0.7, l2_shrinkage_regularization_strength=0.1)",
                "sgd_schedulefree(lr=0.1, weight_decay=0.01, warmup_steps=3)", "adamw_schedulefree(warmup_steps=2, r=1)",
                "muon(weight_decay=0.1)", "muon(lr=0.05, nesterov=false, adamw_lr=0.01)");
    }

    static ParamStore newStore() {
        return ParamStore.builder().add("a", 1).add("b", 7).add("c", 3, 11).add("late", 5).add("frozen", 3).build();
    }

    static ParamStore newStore(long seed) {
        ParamStore store = newStore();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < store.size(); i++) {
            store.data()[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return store;
    }

    /** Two groups: {a, c, frozen} with the spec's values, {b, late} with half its lr. */
    static Optimizer build(String spec, ParamStore store) {
        OptimizerSpec s = Optimizers.parse(spec);
        double lr = (Double) s.values().get("lr");
        return s.buildGroups(List.of(
                ParamGroup.of(store.param("a"), store.param("c"), store.param("frozen")),
                ParamGroup.of(store.param("b"), store.param("late")).with("lr", lr / 2)));
    }

    /**
     * Gradients for steps 1..steps, by step then parameter; null means the gradient is undefined at that step:
     * frozen never has one, late only from step BEFORE + 2, and b misses step 2 and step BEFORE + 3.
     */
    static float[][][] gradients(long seed, int steps) {
        ParamStore shape = newStore();
        SplittableRandom random = new SplittableRandom(seed);
        float[][][] out = new float[steps][NAMES.length][];
        for (int s = 1; s <= steps; s++) {
            for (int p = 0; p < NAMES.length; p++) {
                float[] g = new float[shape.param(p).size()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (random.nextDouble() * 2 - 1);
                }
                boolean undefined = NAMES[p].equals("frozen")
                        || (NAMES[p].equals("late") && s < BEFORE + 2)
                        || (NAMES[p].equals("b") && (s == 2 || s == BEFORE + 3));
                out[s - 1][p] = undefined ? null : g;
            }
        }
        return out;
    }

    /** Gives each parameter its gradient (null: undefined, as after zero_grad(set_to_none=True)) and steps. */
    public static void step(Optimizer opt, ParamStore store, float[][] grads) {
        for (int p = 0; p < grads.length; p++) {
            if (grads[p] == null) {
                store.param(p).zeroGrad(true);
            } else {
                store.param(p).setGrad(grads[p]);
            }
        }
        opt.step();
    }

    /** Fails with the first differing index unless the arrays are equal bit for bit (NaN equal to NaN). */
    public static void assertBitIdentical(float[] expected, float[] actual, String what) {
        if (!Arrays.equals(expected, actual)) {
            int i = Arrays.mismatch(expected, actual);
            fail(what + ": first difference at index " + i + ": expected " + expected[i] + " but was " + actual[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void saveLoadThenStepIsBitIdenticalToSteppingOn(String spec) {
        float[][][] grads = gradients(17, BEFORE + AFTER);
        ParamStore store = newStore(5);
        Optimizer opt = build(spec, store);
        for (int s = 0; s < BEFORE; s++) {
            step(opt, store, grads[s]);
        }
        StateDict snapshot = opt.stateDict();
        float[] snapshotValues = store.data().clone();
        List<float[]> expected = new ArrayList<>();
        for (int s = BEFORE; s < BEFORE + AFTER; s++) {
            step(opt, store, grads[s]);
            expected.add(store.data().clone());
        }
        assertFalse(Arrays.equals(snapshotValues, expected.get(AFTER - 1)), "the steps after the snapshot move the values");

        ParamStore restored = newStore();
        for (int p = 0; p < NAMES.length; p++) {
            Param param = restored.param(p);
            param.set(Arrays.copyOfRange(snapshotValues, param.offset(), param.offset() + param.size()));
        }
        Optimizer fresh = build(spec, restored);
        fresh.loadStateDict(snapshot);
        for (int k = 0; k < AFTER; k++) {
            step(fresh, restored, grads[BEFORE + k]);
            assertBitIdentical(expected.get(k), restored.data(), spec + " at step " + (BEFORE + k + 1));
        }
        assertEquals(normalize(opt.stateDict()), normalize(fresh.stateDict()), spec + ": the state after stepping on");
    }

    /** Loading into an optimizer that has stepped already replaces its state, including state the snapshot lacks. */
    @ParameterizedTest
    @MethodSource("configurations")
    void loadingReplacesStateThatWasThere(String spec) {
        float[][][] grads = gradients(29, BEFORE + AFTER);
        ParamStore store = newStore(3);
        Optimizer opt = build(spec, store);
        for (int s = 0; s < BEFORE; s++) {
            step(opt, store, grads[s]);
        }
        StateDict snapshot = opt.stateDict();
        float[] snapshotValues = store.data().clone();
        assertFalse(snapshot.state().containsKey(4), "late has no state at the snapshot");

        // Another optimizer steps on every parameter (late and frozen included) with other gradients.
        ParamStore other = newStore(99);
        Optimizer used = build(spec, other);
        float[][][] noise = gradients(1234, 4);
        for (float[][] g : noise) {
            for (int p = 0; p < NAMES.length; p++) {
                other.param(p).setGrad(g[p] == null ? new float[other.param(p).size()] : g[p]);
            }
            used.step();
        }
        assertTrue(used.stateDict().state().containsKey(4));
        used.loadStateDict(snapshot);
        assertEquals(normalize(snapshot), normalize(used.stateDict()), spec + ": the state right after loading");
        System.arraycopy(snapshotValues, 0, other.data(), 0, snapshotValues.length);
        for (int s = BEFORE; s < BEFORE + AFTER; s++) {
            step(opt, store, grads[s]);
            step(used, other, grads[s]);
            assertBitIdentical(store.data(), other.data(), spec + " at step " + (s + 1));
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void theSnapshotIsADeepCopy(String spec) {
        float[][][] grads = gradients(7, BEFORE + 2);
        ParamStore store = newStore(11);
        Optimizer opt = build(spec, store);
        for (int s = 0; s < BEFORE; s++) {
            step(opt, store, grads[s]);
        }
        StateDict snapshot = opt.stateDict();
        Object before = normalize(snapshot);
        step(opt, store, grads[BEFORE]);
        step(opt, store, grads[BEFORE + 1]);
        opt.setLr(123.0);
        assertEquals(before, normalize(snapshot), "stepping after stateDict() changed the snapshot");
        assertNotEquals(before, normalize(opt.stateDict()), "the optimizer's state moved on");
    }

    @Test
    void mutatingWhatASnapshotReturnsChangesNeitherItNorTheOptimizer() {
        float[][][] grads = gradients(7, 3);
        ParamStore store = newStore(11);
        Optimizer opt = build("adam(amsgrad=true, lr=0.01)", store);
        ParamStore twinStore = newStore(11);
        Optimizer twin = build("adam(amsgrad=true, lr=0.01)", twinStore);
        for (int s = 0; s < 2; s++) {
            step(opt, store, grads[s]);
            step(twin, twinStore, grads[s]);
        }
        StateDict snapshot = opt.stateDict();
        Object before = normalize(snapshot);

        Map<Integer, Map<String, Object>> state = snapshot.state();
        ((float[]) state.get(0).get("exp_avg"))[0] = 42f;
        state.get(0).put("step", 1000L);
        state.remove(2);
        List<Map<String, Object>> groups = snapshot.paramGroups();
        groups.get(0).put("lr", 9.0);
        ((double[]) groups.get(0).get("betas"))[0] = 0.1;
        ((int[]) groups.get(1).get("params"))[0] = 77;
        groups.remove(1);
        assertEquals(before, normalize(snapshot), "the snapshot changed through what it returned");

        StateDict live = opt.stateDict();
        ((float[]) live.state().get(1).get("exp_avg_sq"))[5] = -1f;
        live.paramGroups().get(0).put("lr", 5.0);
        assertEquals(0.01, opt.lr());

        step(opt, store, grads[2]);
        step(twin, twinStore, grads[2]);
        assertBitIdentical(twinStore.data(), store.data(), "after mutating returned maps");
    }

    @Test
    void theConstructorCopiesItsParts() {
        Map<String, Object> group = new LinkedHashMap<>(Map.of("lr", 0.5, "params", new int[] {0}));
        float[] buffer = {1f, 2f};
        Map<String, Object> state = new LinkedHashMap<>(Map.of("step", 3L, "exp_avg", buffer));
        StateDict dict = new StateDict(List.of(group), Map.of(0, state));
        buffer[0] = 9f;
        ((int[]) group.get("params"))[0] = 5;
        group.put("lr", 7.0);
        assertArrayEquals(new float[] {1f, 2f}, (float[]) dict.state().get(0).get("exp_avg"));
        assertArrayEquals(new int[] {0}, (int[]) dict.paramGroups().get(0).get("params"));
        assertEquals(0.5, dict.paramGroups().get(0).get("lr"));
    }

    @Test
    void theSnapshotIsShapedLikePytorchs() {
        float[][][] grads = gradients(3, BEFORE + 3);
        ParamStore store = newStore(2);
        Optimizer opt = build("adam(lr=0.01, amsgrad=true)", store);
        for (int s = 0; s < BEFORE + 3; s++) {
            step(opt, store, grads[s]);
        }
        StateDict dict = opt.stateDict();
        assertEquals(2, dict.paramGroups().size());
        // Parameters are numbered across groups in group order: a, c, frozen, then b, late.
        assertArrayEquals(new int[] {0, 1, 2}, (int[]) dict.paramGroups().get(0).get("params"));
        assertArrayEquals(new int[] {3, 4}, (int[]) dict.paramGroups().get(1).get("params"));
        assertEquals(0.01, dict.paramGroups().get(0).get("lr"));
        assertEquals(0.005, dict.paramGroups().get(1).get("lr"));
        assertEquals(true, dict.paramGroups().get(1).get("amsgrad"));
        assertEquals(List.of(0, 1, 3, 4), new ArrayList<>(dict.state().keySet()), "frozen (index 2) has no state");
        Map<String, Object> c = dict.state().get(1);
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), new ArrayList<>(c.keySet()));
        assertEquals((long) BEFORE + 3, ((Number) c.get("step")).longValue());
        assertEquals(33, ((float[]) c.get("exp_avg")).length);
        // b missed two steps, late started at step BEFORE + 2.
        assertEquals((long) BEFORE + 1, ((Number) dict.state().get(3).get("step")).longValue());
        assertEquals(2L, ((Number) dict.state().get(4).get("step")).longValue());
        // The saved buffer is the parameter's own slice of the store-wide array.
        float[] slice = (float[]) dict.state().get(3).get("exp_avg");
        assertEquals(7, slice.length);
    }

    @Test
    void lambsScratchUpdateIsNotState() {
        ParamStore store = ParamStore.of("w", 1f, 2f);
        Optimizer opt = Optimizers.create("lamb(lr=0.01)", store.params());
        store.param(0).setGrad(0.5f, -0.25f);
        opt.step();
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), new ArrayList<>(opt.stateDict().state().get(0).keySet()));
    }

    @Test
    void nadamSavesItsMuProduct() {
        ParamStore store = ParamStore.of("w", 1f, 2f);
        Optimizer opt = Optimizers.create("nadam(momentum_decay=0.1)", store.params());
        for (int s = 0; s < 3; s++) {
            store.param(0).setGrad(0.5f, -0.25f);
            opt.step();
        }
        Object product = opt.stateDict().state().get(0).get("mu_product");
        double expected = 1;
        for (int t = 1; t <= 3; t++) {
            expected = (float) expected * (float) (0.9 * (1 - 0.5 * Math.pow(0.96, t * 0.1)));
        }
        assertEquals(expected, ((Number) product).doubleValue());
    }

    @Test
    void loadingRestoresHyperparameters() {
        float[][][] grads = gradients(41, BEFORE + AFTER);
        ParamStore store = newStore(8);
        Optimizer opt = build("adam(lr=0.01, betas=(0.8, 0.99))", store);
        for (int s = 0; s < BEFORE; s++) {
            step(opt, store, grads[s]);
        }
        StateDict snapshot = opt.stateDict();
        float[] values = store.data().clone();
        opt.setLr(0.5);
        opt.paramGroups().get(1).set("betas", new double[] {0.1, 0.2});
        opt.paramGroups().get(0).set("amsgrad", true);
        step(opt, store, grads[BEFORE]);

        opt.loadStateDict(snapshot);
        assertEquals(0.01, opt.lr());
        assertEquals(0.005, opt.paramGroups().get(1).lr());
        assertArrayEquals(new double[] {0.8, 0.99}, (double[]) opt.paramGroups().get(1).get("betas"));
        assertFalse(opt.paramGroups().get(0).flag("amsgrad"));

        // Into an optimizer built with other values: the snapshot's values win.
        ParamStore other = newStore();
        Optimizer otherOpt = build("adam(lr=0.3, betas=(0.5, 0.5), amsgrad=true, eps=0.1)", other);
        otherOpt.loadStateDict(snapshot);
        assertEquals(normalize(snapshot), normalize(otherOpt.stateDict()));
        assertEquals(opt.toString(), otherOpt.toString());

        System.arraycopy(values, 0, store.data(), 0, values.length);
        System.arraycopy(values, 0, other.data(), 0, values.length);
        for (int s = BEFORE; s < BEFORE + AFTER; s++) {
            step(opt, store, grads[s]);
            step(otherOpt, other, grads[s]);
            assertBitIdentical(store.data(), other.data(), "step " + (s + 1));
        }
    }

    /**
     * PyTorch's load_state_dict replaces the hyperparameters wholesale, so a snapshot of plain SGD loads into
     * an optimizer built as nag. Here each restored value is set one at a time and SGD's Nesterov rule is
     * checked in between (momentum=0 while nesterov is still true), so the load fails half-way, after the
     * state was already cleared.
     */
    @Test
    void loadingAPlainSgdSnapshotIntoNagReplacesItsValues() {
        ParamStore plainStore = ParamStore.of("w", 1f, 2f);
        Optimizer plain = Optimizers.create("sgd(lr=0.1)", plainStore.params());
        plainStore.param(0).setGrad(1f, 1f);
        plain.step();
        ParamStore nagStore = ParamStore.of("w", 1f, 2f);
        Optimizer nag = Optimizers.create("nag(lr=0.1, dampening=0)", nagStore.params());
        nagStore.param(0).setGrad(1f, 1f);
        nag.step();
        nag.loadStateDict(plain.stateDict());
        assertEquals(plain.toString(), nag.toString());
        assertEquals(normalize(plain.stateDict()), normalize(nag.stateDict()));
        // And the other way round: a nag snapshot into SGD with dampening (dampening=0 restored before nesterov).
        Optimizer damped = Optimizers.create("sgd(lr=0.1, momentum=0.9, dampening=0.5)", ParamStore.of("w", 1f, 2f).params());
        damped.loadStateDict(Optimizers.create("nag(lr=0.1)", ParamStore.of("w", 1f, 2f).params()).stateDict());
        assertEquals(Optimizers.parse("nag(lr=0.1)").toString(), damped.toString());
    }

    /** Snapshots that do not fit, each with the words its message must contain. */
    static Stream<Object[]> badSnapshots() {
        return Stream.of(
                new Object[] {"one group instead of two", onePieceOptimizerDict(), List.of("1 parameter groups", "has 2")},
                new Object[] {"a group with a missing parameter", mutated(d -> new StateDict(withParams(d.paramGroups(), 1, new int[] {3}), d.state())),
                        List.of("group 1", "1 parameters", "has 2")},
                new Object[] {"a group with an extra parameter", mutated(d -> new StateDict(withParams(d.paramGroups(), 0, new int[] {0, 1, 2, 3}), d.state())),
                        List.of("group 0", "4 parameters", "has 3")},
                new Object[] {"a buffer one element short", mutated(d -> withState(d, 3, "exp_avg_sq", new float[6])),
                        List.of("'exp_avg_sq'", "'b'", "6 elements", "has 7")},
                new Object[] {"a buffer one element long (last in the dict)", mutated(d -> withState(d, 4, "max_exp_avg_sq", new float[6])),
                        List.of("'max_exp_avg_sq'", "'late'", "6 elements", "has 5")},
                new Object[] {"state for a parameter that does not exist", mutated(d -> {
                            Map<Integer, Map<String, Object>> s = d.state();
                            s.put(9, s.get(0));
                            return new StateDict(d.paramGroups(), s);
                        }), List.of("parameter 9", "0..4")},
                new Object[] {"an invalid hyperparameter", mutated(d -> {
                            List<Map<String, Object>> g = d.paramGroups();
                            g.get(1).put("lr", -1.0);
                            return new StateDict(g, d.state());
                        }), List.of("lr=-1.0", "must be >= 0")},
                new Object[] {"a key of another algorithm", mutated(d -> {
                            List<Map<String, Object>> g = d.paramGroups();
                            g.get(0).put("momentum", 0.9);
                            return new StateDict(g, d.state());
                        }), List.of("unknown key for adam 'momentum'")},
                new Object[] {"a state value that is not a number or array", mutated(d -> withState(d, 0, "exp_avg", "oops")),
                        List.of("'exp_avg'", "'a'", "String")});
    }

    private static StateDict reference() {
        float[][][] grads = gradients(51, BEFORE + 3);
        ParamStore store = newStore(52);
        Optimizer opt = build("adam(lr=0.01, amsgrad=true)", store);
        for (int s = 0; s < BEFORE + 3; s++) {
            step(opt, store, grads[s]);
        }
        return opt.stateDict();
    }

    private static StateDict mutated(java.util.function.UnaryOperator<StateDict> change) {
        return change.apply(reference());
    }

    private static StateDict onePieceOptimizerDict() {
        ParamStore store = newStore(1);
        Optimizer opt = Optimizers.create("adam(lr=0.01, amsgrad=true)", store.params());
        store.markGradsDefined();
        opt.step();
        return opt.stateDict();
    }

    private static List<Map<String, Object>> withParams(List<Map<String, Object>> groups, int group, int[] ids) {
        groups.get(group).put("params", ids);
        return groups;
    }

    private static StateDict withState(StateDict d, int index, String key, Object value) {
        Map<Integer, Map<String, Object>> s = d.state();
        s.get(index).put(key, value);
        return new StateDict(d.paramGroups(), s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSnapshots")
    void aSnapshotThatDoesNotFitIsRejectedAndChangesNothing(String what, StateDict bad, List<String> words) {
        float[][][] grads = gradients(61, BEFORE + AFTER);
        ParamStore store = newStore(62);
        Optimizer opt = build("adam(lr=0.01, amsgrad=true)", store);
        ParamStore twinStore = newStore(62);
        Optimizer twin = build("adam(lr=0.01, amsgrad=true)", twinStore);
        for (int s = 0; s < BEFORE + 2; s++) {
            step(opt, store, grads[s]);
            step(twin, twinStore, grads[s]);
        }
        opt.paramGroups().get(1).setLr(0.02);
        twin.paramGroups().get(1).setLr(0.02);
        Object before = normalize(opt.stateDict());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(bad), what);
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), what + ": the message should mention " + word + ": " + e.getMessage());
        }
        assertEquals(before, normalize(opt.stateDict()), what + ": a rejected load changed the state");
        for (int s = BEFORE + 2; s < BEFORE + AFTER; s++) {
            step(opt, store, grads[s]);
            step(twin, twinStore, grads[s]);
            assertBitIdentical(twinStore.data(), store.data(), what + ": step " + (s + 1) + " after the rejected load");
        }
    }

    @Test
    void aSnapshotLoadsIntoAnOptimizerOverAnotherStoreOfTheSameLayout() {
        ParamStore a = ParamStore.of("w", 1f, 2f, 3f);
        Optimizer opt = Optimizers.create("rmsprop(centered=true, momentum=0.5)", a.params());
        a.param(0).setGrad(0.1f, 0.2f, 0.3f);
        opt.step();
        ParamStore b = ParamStore.of("v", 0f, 0f, 0f);
        Optimizer other = Optimizers.create("rmsprop(centered=true, momentum=0.5)", b.params());
        other.loadStateDict(opt.stateDict());
        b.param(0).set(a.param(0).values());
        a.param(0).setGrad(-0.3f, 0.5f, 0.7f);
        b.param(0).setGrad(-0.3f, 0.5f, 0.7f);
        opt.step();
        other.step();
        assertBitIdentical(a.data(), b.data(), "second step");
    }

    /** A comparable deep form of a snapshot: arrays become lists, numbers keep their bits. */
    static Object normalize(StateDict dict) {
        return List.of(normalize((Object) dict.paramGroups()), normalize((Object) dict.state()));
    }

    static Object normalize(Object v) {
        if (v instanceof float[]) {
            List<Float> out = new ArrayList<>();
            for (float x : (float[]) v) {
                out.add(x);
            }
            return out;
        }
        if (v instanceof double[]) {
            return Arrays.stream((double[]) v).boxed().toList();
        }
        if (v instanceof int[]) {
            return Arrays.stream((int[]) v).boxed().toList();
        }
        if (v instanceof Map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> out.put(k, normalize(x)));
            return out;
        }
        if (v instanceof List) {
            return ((List<?>) v).stream().map(StateDictTest::normalize).toList();
        }
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        return v;
    }
}
