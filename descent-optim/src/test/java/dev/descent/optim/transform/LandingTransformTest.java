package dev.descent.optim.transform;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Param;
import dev.descent.optim.ParamStore;
import dev.descent.optim.StateDict;
import dev.descent.optim.TrainEvalSwitch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.descent.optim.StateDictTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the chain forms of FTRL, ASGD, schedule-free, Muon and Adafactor do beyond equalling their fused optimizers
 * ({@link ChainEqualsFusedTest}): where a chain accepts the transforms that land the step, the train/eval switch of a
 * chain with {@code schedule_free}, ASGD's average in the state, and the rules of the new hyperparameters.
 */
class LandingTransformTest {
    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message should mention " + part + ": " + e.getMessage());
        }
    }

    @Test
    void aTransformThatLandsTheStepMustComeRightBeforeTheFinalScalings() {
        for (String name : List.of("scale_by_ftrl", "scale_by_asgd", "schedule_free", "scale_by_muon")) {
            IllegalArgumentException followed = assertThrows(IllegalArgumentException.class,
                    () -> Optimizers.parse("chain(" + name + "(), trace(0.9), scale_by_learning_rate(0.01))"));
            assertMentions(followed, name, "followed by scalings only", "transform 1 of 3, followed by trace", "e.g. chain(" + name);
            IllegalArgumentException last = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("chain(" + name + "())"));
            assertMentions(last, name, "transform 1 of 1, the last");
        }
        for (String name : List.of("scale_by_ftrl", "scale_by_asgd", "schedule_free")) {
            IllegalArgumentException decay = assertThrows(IllegalArgumentException.class,
                    () -> Optimizers.parse("chain(" + name + "(), add_decayed_weights(0.1), scale_by_learning_rate(0.01))"));
            assertMentions(decay, name, "followed by add_decayed_weights");
        }
        Optimizers.parse("chain(scale_by_muon(), add_decayed_weights(0.1), scale_by_learning_rate(0.01))");
        Optimizers.parse("chain(clip(1.0), scale_by_ftrl(), scale(-0.1))");
    }

    @Test
    void muonNeedsOneLearningRateForItsAdamWPart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(scale_by_muon(), scale(-0.02))"));
        assertMentions(e, "scale_by_muon", "scale_by_learning_rate", "has 0");
    }

    @Test
    void ftrlRefusesALearningRateThatIsNotPositive() {
        Param w = ParamStore.of("w", 1f, 2f).param(0);
        Optimizer opt = Optimizers.create("chain(scale_by_ftrl(), scale(0.1))", List.of(w));
        w.setGrad(1f, 1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, opt::step);
        assertMentions(e, "scale_by_ftrl", "must be > 0", "-0.1");
    }

    @Test
    void badValuesNameTheTransformKeyAndRule() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(scale_by_rms(centered=true, bias_correction=true), scale_by_learning_rate(0.01))")),
                "scale_by_rms", "centered=true", "bias_correction=true");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(scale_by_adam(eps_placement=\"tf\"), scale_by_learning_rate(0.01))")),
                "eps_placement", "tf", "keras");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(schedule_free(b1=1), scale_by_learning_rate(0.01))")), "b1", "(0, 1)");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(scale_by_factored_rms(decay_rate=0.5), scale_by_learning_rate(0.01))")),
                "decay_rate", "0.5", "<= 0");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(scale_by_factored_rms(clip_threshold=0), scale_by_learning_rate(0.01))")),
                "clip_threshold", "> 0");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(scale_by_muon(momentum=1), scale_by_learning_rate(0.01))")), "momentum", "[0, 1)");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(scale_by_ftrl(learning_rate_power=0.5), scale_by_learning_rate(0.01))")),
                "learning_rate_power", "<= 0");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("chain(ema(decay=1.5), scale(-1))")),
                "decay", "[0, 1)");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(scale_by_param_block_rms(-1), scale(-1))")), "min_scale", "-1");
    }

    /** A two-tensor store (a matrix and a vector) with values from a seed. */
    private static ParamStore store() {
        ParamStore store = ParamStore.builder().add("m", 3, 4).add("v", 5).build();
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < store.size(); i++) {
            store.data()[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return store;
    }

    private static void gradients(ParamStore store, SplittableRandom random) {
        for (int i = 0; i < store.size(); i++) {
            store.grad()[i] = (float) (random.nextDouble() * 2 - 1);
        }
        store.markGradsDefined();
    }

    @Test
    void aScheduleFreeChainSwitchesBetweenYAndTheAverageAsTheFusedOptimizerDoes() {
        ParamStore a = store();
        ParamStore b = store();
        TrainEvalSwitch fused = (TrainEvalSwitch) Optimizers.create("adamw_schedulefree(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1)",
                a.params());
        Optimizer chain = Optimizers.create("chain(scale_by_rms(alpha=0.99, bias_correction=true), add_decayed_weights(0.1), "
                + "schedule_free(b1=0.8), scale_by_learning_rate(0.05))", b.params());
        TrainEvalSwitch switched = (TrainEvalSwitch) chain;
        SplittableRandom ra = new SplittableRandom(8);
        SplittableRandom rb = new SplittableRandom(8);
        for (int round = 0; round < 3; round++) {
            for (int s = 0; s < 4; s++) {
                gradients(a, ra);
                gradients(b, rb);
                ((Optimizer) fused).step();
                chain.step();
            }
            float[] y = b.data().clone();
            fused.eval();
            switched.eval();
            assertFalse(switched.isTraining());
            assertBitIdentical(a.data(), b.data(), "x after round " + round);
            assertNotEquals(y[0], b.data()[0], "eval() moved the parameter to x");
            fused.train();
            switched.train();
            assertTrue(switched.isTraining());
            assertBitIdentical(a.data(), b.data(), "y after round " + round);
        }
    }

    @Test
    void aScheduleFreeChainRefusesToStepInEvalModeAndSavesItsMode() {
        ParamStore store = store();
        Optimizer chain = Optimizers.create("chain(schedule_free(), scale_by_learning_rate(0.1))", store.params());
        gradients(store, new SplittableRandom(1));
        chain.step();
        ((TrainEvalSwitch) chain).eval();
        float[] x = store.data().clone();
        IllegalStateException e = assertThrows(IllegalStateException.class, chain::step);
        assertMentions(e, "eval mode", "train()");
        assertArrayEquals(x, store.data());
        boolean[] evaluated = {false};
        assertThrows(IllegalStateException.class, () -> chain.step(() -> {
            evaluated[0] = true;
            return 0;
        }));
        assertFalse(evaluated[0], "the closure is not evaluated in eval mode");
        StateDict saved = chain.stateDict();
        assertEquals(false, saved.paramGroups().get(0).get("train_mode"));

        ParamStore other = store();
        System.arraycopy(x, 0, other.data(), 0, x.length);
        Optimizer fresh = Optimizers.create("chain(schedule_free(), scale_by_learning_rate(0.1))", other.params());
        fresh.loadStateDict(saved);
        assertFalse(((TrainEvalSwitch) fresh).isTraining());
        ((TrainEvalSwitch) fresh).train();
        ((TrainEvalSwitch) chain).train();
        assertBitIdentical(store.data(), other.data(), "y after train() on the restored chain");
    }

    @Test
    void aChainWithoutScheduleFreeIsAlwaysTrainingAndIgnoresTheSwitch() {
        ParamStore store = store();
        Optimizer chain = Optimizers.create("chain(scale_by_adam(), scale_by_learning_rate(0.1))", store.params());
        gradients(store, new SplittableRandom(1));
        chain.step();
        float[] after = store.data().clone();
        ((TrainEvalSwitch) chain).eval();
        assertTrue(((TrainEvalSwitch) chain).isTraining());
        assertArrayEquals(after, store.data());
        assertFalse(chain.stateDict().paramGroups().get(0).containsKey("train_mode"));
    }

    @Test
    void asgdKeepsTheAverageOfTheIteratesInItsState() {
        Param w = ParamStore.of("w", 1f, -2f).param(0);
        Optimizer opt = Optimizers.create("chain(scale_by_asgd(lambd=0, t0=0), scale_by_learning_rate(0.1))", List.of(w));
        double[] sum = new double[2];
        for (int s = 1; s <= 4; s++) {
            w.setGrad(0.5f * s, -0.25f);
            opt.step();
            float[] v = w.values();
            if (s >= 2) {
                sum[0] += v[0];
                sum[1] += v[1];
            }
        }
        // step t averages with μ = 1/max(1, t − 1 − t₀): with t₀ = 0, θ̄ copies θ through step 2, then is the mean
        // of the iterates after steps 2 to 4, while θ itself goes on as plain SGD
        float[] ax = (float[]) opt.stateDict().state().get(0).get("scale_by_asgd.ax");
        assertEquals(sum[0] / 3, ax[0], 1e-6);
        assertEquals(sum[1] / 3, ax[1], 1e-6);
        assertNotEquals(w.values()[0], ax[0]);
    }

    @Test
    void theRelativeStepCapsTheStepSizeAfterItAtOneOverRootT() {
        Param w = ParamStore.of("w", 0f).param(0);
        Optimizer big = Optimizers.create("chain(scale_by_relative_step(), scale_by_learning_rate(5))", List.of(w));
        for (int t = 1; t <= 4; t++) {
            w.set(0f);
            w.setGrad(1f);
            big.step();
            assertEquals((float) -(1 / Math.sqrt(t)), w.values()[0], "the cap at step " + t);
        }
        Param v = ParamStore.of("v", 0f).param(0);
        Optimizer small = Optimizers.create("chain(scale_by_relative_step(), scale_by_learning_rate(0.01))", List.of(v));
        v.setGrad(1f);
        small.step();
        assertEquals(-0.01f, v.values()[0], "below the cap the learning rate stays");
    }

    @Test
    void emaDebiasesUnlessToldNot() {
        for (boolean debias : new boolean[] {true, false}) {
            Param w = ParamStore.of("w", 0f).param(0);
            Optimizer opt = Optimizers.create("chain(ema(0.5, debias=" + debias + "), scale(-1))", List.of(w));
            w.setGrad(2f);
            opt.step();
            // m = 0.5·2 = 1; debiased 1/(1 − 0.5) = 2
            assertEquals(debias ? -2f : -1f, w.values()[0], "debias=" + debias);
        }
    }

    @Test
    void adafactorsFactoredStateLoadsWithItsOwnLengths() {
        ParamStore store = store();
        String spec = "chain(scale_by_factored_rms(), scale_by_param_block_rms(), scale_by_relative_step(), scale_by_learning_rate(0.01))";
        Optimizer opt = Optimizers.create(spec, store.params());
        gradients(store, new SplittableRandom(2));
        opt.step();
        StateDict saved = opt.stateDict();
        assertEquals(3, ((float[]) saved.state().get(0).get("scale_by_factored_rms.exp_avg_sq_row")).length);
        assertEquals(4, ((float[]) saved.state().get(0).get("scale_by_factored_rms.exp_avg_sq_col")).length);
        assertEquals(5, ((float[]) saved.state().get(1).get("scale_by_factored_rms.exp_avg_sq")).length);
        Optimizer fresh = Optimizers.create(spec, store().params());
        fresh.loadStateDict(saved);
        assertArrayEquals((float[]) saved.state().get(0).get("scale_by_factored_rms.exp_avg_sq_col"),
                (float[]) fresh.stateDict().state().get(0).get("scale_by_factored_rms.exp_avg_sq_col"));
    }
}
