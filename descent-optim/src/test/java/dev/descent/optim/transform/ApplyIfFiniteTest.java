package dev.descent.optim.transform;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.ParamStore;
import dev.descent.optim.StateDict;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.descent.optim.StateDictTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code apply_if_finite}: a non-finite step is skipped whole, until too many come in a row. */
class ApplyIfFiniteTest {
    private static final String GUARDED = "chain(apply_if_finite(2), scale_by_adam(), trace(0.5), scale_by_learning_rate(0.1))";
    private static final String PLAIN = "chain(scale_by_adam(), trace(0.5), scale_by_learning_rate(0.1))";

    @Test
    void aSkippedStepLeavesTheParametersTheStateAndTheStepCountAsTheyWere() {
        ParamStore a = ChainEqualsFusedTest.store(3);
        ParamStore b = ChainEqualsFusedTest.store(3);
        Optimizer guarded = Optimizers.create(GUARDED, a.params());
        Optimizer plain = Optimizers.create(PLAIN, b.params());
        SplittableRandom random = new SplittableRandom(1);
        for (int s = 0; s < 12; s++) {
            float[] g = new float[a.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (random.nextDouble() * 2 - 1);
            }
            boolean poisoned = s % 4 == 1;
            System.arraycopy(g, 0, a.grad(), 0, g.length);
            if (poisoned) {
                a.grad()[g.length - 2] = s % 8 == 1 ? Float.NaN : Float.NEGATIVE_INFINITY;
            }
            a.markGradsDefined();
            guarded.step();
            if (!poisoned) {
                System.arraycopy(g, 0, b.grad(), 0, g.length);
                b.markGradsDefined();
                plain.step();
            }
            assertBitIdentical(b.data(), a.data(), "after step " + (s + 1));
        }
        assertEquals(9L, guarded.stateDict().state().get(0).get("step"));
        assertEquals(3L, guarded.stateDict().paramGroups().get(0).get("apply_if_finite.total_notfinite"));
    }

    @Test
    void morethanMaxConsecutiveErrorsLetTheStepThroughAndTheCountSurvivesSaveAndLoad() {
        ParamStore store = ParamStore.builder().add("w", 2).build();
        Optimizer opt = Optimizers.create(GUARDED, store.params());
        store.param(0).setGrad(new float[] {Float.NaN, 1});
        opt.step();
        opt.step();
        assertEquals(0f, store.data()[1], "two in a row are skipped");
        StateDict saved = opt.stateDict();
        assertEquals(2L, saved.paramGroups().get(0).get("apply_if_finite.notfinite_count"));
        Optimizer resumed = Optimizers.create(GUARDED, store.params());
        resumed.loadStateDict(saved);
        resumed.step();
        assertTrue(Float.isNaN(store.data()[0]) && store.data()[1] != 0f, "the third goes through: " + store.data()[0]);
        store.param(0).setGrad(new float[] {1, 1});
        resumed.step();
        assertEquals(0L, resumed.stateDict().paramGroups().get(0).get("apply_if_finite.notfinite_count"), "a finite step resets");
    }

    @Test
    void itMustComeFirstAndTakesAnInteger() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("chain(clip(1.0), apply_if_finite(3), scale(-1))"));
        assertTrue(e.getMessage().contains("apply_if_finite must be the first transform") && e.getMessage().contains("transform 2 of 3"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("chain(apply_if_finite(-1), scale(-1))"));
        assertTrue(e.getMessage().contains("max_consecutive_errors=-1 is invalid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("chain(apply_if_finite, scale(-1))"));
        assertTrue(e.getMessage().contains("max_consecutive_errors"), e.getMessage());
    }
}
