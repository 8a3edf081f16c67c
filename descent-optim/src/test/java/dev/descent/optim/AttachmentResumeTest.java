package dev.descent.optim;

import dev.descent.optim.schedule.HyperparameterSchedules;
import dev.descent.optim.schedule.Schedules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Save, load and step equals step for optimizers that build their state dict their own way (L-BFGS, the
 * wrappers, a chain) with a hyperparameter schedule attached: the schedule's state travels in the snapshot.
 */
class AttachmentResumeTest {
    private static final float[] C = {1, 10, 100, 3, 0.5f};
    private static final int STEPS = 8;
    private static final int SAVED_AT = 3;

    private static ParamStore store() {
        ParamStore store = ParamStore.builder().add("w", 2).add("b", 3).build();
        store.param(0).set(1f, -0.5f);
        store.param(1).set(0.25f, 2f, -1f);
        return store;
    }

    /** 0.5 sum c_i w_i^2 + w_0 w_1, so that the coordinates interact. */
    private static Optimizer.Closure loss(ParamStore store) {
        return () -> {
            float[] w = store.data();
            float[] g = store.grad();
            double loss = w[0] * w[1];
            for (int i = 0; i < w.length; i++) {
                g[i] = C[i] * w[i];
                loss += 0.5 * C[i] * w[i] * w[i];
            }
            g[0] += w[1];
            g[1] += w[0];
            store.markGradsDefined();
            return loss;
        };
    }

    private static Optimizer build(String spec, ParamStore store, String key, String schedule) {
        Optimizer opt = Optimizers.parse(spec).build(store.params());
        HyperparameterSchedules.attach(opt).follow(key, Schedules.parse(schedule));
        return opt;
    }

    private static void step(Optimizer opt, ParamStore store) {
        opt.step(loss(store));
        HyperparameterSchedules.attach(opt).step();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "lbfgs(lr=0.5, max_iter=3, history_size=4); lr; steplr(step_size=2, gamma=0.5)",
        "lbfgs(lr=1, max_iter=2, line_search_fn=strong_wolfe); lr; exponentiallr(gamma=0.7)",
        "lookahead(sgd(lr=0.02, momentum=0.9), k=2, alpha=0.5); lr; steplr(step_size=2, gamma=0.5)",
        "ema(adam(lr=0.05), decay=0.9); lr; cosineannealinglr(T_max=8)",
        "swa(sgd(lr=0.01, momentum=0.9, weight_decay=0.1), swa_start=2, swa_lr=0.005, anneal_steps=3); weight_decay;"
                + " linearlr(start_factor=1, end_factor=0.2, total_iters=6)",
        "lookahead(ema(adam(lr=0.05), decay=0.5), k=3); lr; steplr(step_size=3, gamma=0.1)",
        "chain(scale_by_adam(), scale_by_learning_rate(0.05)); lr; steplr(step_size=2, gamma=0.5)",
        "chain(trace(momentum=0.9), scale_by_learning_rate(0.01)); momentum; linearlr(start_factor=1, end_factor=0.5, total_iters=4)"})
    void saveLoadAndStepEqualsStep(String spec, String key, String schedule) {
        ParamStore straightStore = store();
        Optimizer straight = build(spec, straightStore, key, schedule);
        ParamStore firstStore = store();
        Optimizer first = build(spec, firstStore, key, schedule);
        for (int k = 1; k <= SAVED_AT; k++) {
            step(straight, straightStore);
            step(first, firstStore);
        }
        StateDict saved = first.stateDict();
        assertEquals(java.util.Set.of(HyperparameterSchedules.ATTACHMENT), saved.attachments().keySet(), spec);
        double valueThen = value(first, key);

        ParamStore resumedStore = store();
        System.arraycopy(firstStore.data(), 0, resumedStore.data(), 0, firstStore.size());
        Optimizer resumed = build(spec, resumedStore, key, schedule);
        resumed.loadStateDict(saved);
        assertEquals(SAVED_AT, HyperparameterSchedules.attach(resumed).stepCount(), spec);
        assertEquals(valueThen, value(resumed, key), spec);
        for (int k = SAVED_AT + 1; k <= STEPS; k++) {
            step(straight, straightStore);
            step(resumed, resumedStore);
            assertArrayEquals(straightStore.data(), resumedStore.data(), spec + ": step " + k);
            assertEquals(value(straight, key), value(resumed, key), spec + ": " + key + " after step " + k);
        }
        assertNotEquals(valueThen, value(resumed, key), spec + ": the schedule should have moved " + key);
        assertEquals(STEPS, HyperparameterSchedules.attach(resumed).stepCount(), spec);
    }

    private static double value(Optimizer opt, String key) {
        return HyperparameterSchedules.attach(opt).values().get(key)[0];
    }
}
