package dev.descent.optim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** A step split across threads gives the same bits as the same step on one thread. */
class StepThreadsTest {
    private final int saved = StepThreads.threshold;

    @AfterEach
    void restore() {
        StepThreads.threshold = saved;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr=0.1, momentum=0.9, nesterov=true)", "adagrad(lr_decay=0.1)",
            "rmsprop(centered=true, momentum=0.5)", "adadelta(weight_decay=0.1)", "adam(amsgrad=true)", "nadam()"})
    void splitStepIsBitIdentical(String spec) {
        float[] single = run(spec, Integer.MAX_VALUE);
        float[] split = run(spec, 1);
        assertArrayEquals(single, split);
    }

    private static float[] run(String spec, int threshold) {
        StepThreads.threshold = threshold;
        ParamStore store = ParamStore.builder().add("a", 1).add("b", 17, 3).add("c", 1001).add("d", 2).build();
        SplittableRandom random = new SplittableRandom(7);
        float[] data = store.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        Optimizer opt = Optimizers.create(spec, store.params());
        for (int step = 0; step < 5; step++) {
            float[] grad = store.grad();
            for (int i = 0; i < grad.length; i++) {
                grad[i] = (float) random.nextGaussian();
            }
            store.markGradsDefined();
            opt.step();
        }
        return store.data().clone();
    }
}
