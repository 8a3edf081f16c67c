package dev.descent.nn;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: an MLP trained with a descent-optim optimizer on a small problem no linear model solves. */
class TrainingTest {
    /** Points in [-1, 1]^2 at least 0.1 from both axes, labelled by the XOR of their signs. */
    private static float[] points(long seed, int n, int[] labels) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            float a = (float) rng.nextDouble(0.1, 1) * (rng.nextBoolean() ? 1 : -1);
            float b = (float) rng.nextDouble(0.1, 1) * (rng.nextBoolean() ? 1 : -1);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            labels[i] = (a > 0) != (b > 0) ? 1 : 0;
        }
        return x;
    }

    private static float[] train(long seed, int epochs, double[] testAccuracy) {
        int n = 512;
        int[] labels = new int[n];
        float[] x = points(1, n, labels);
        int[] testLabels = new int[256];
        float[] test = points(2, 256, testLabels);
        Model model = new Model(new Sequential(new Linear(2, 32), new Relu(), new Dropout(0.1), new Linear(32, 2)), seed);
        Optimizer opt = Optimizers.parse("adam(lr=0.01)").build(model.params());
        Tape tape = new Tape();
        int batch = 32;
        float lastLoss = Float.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.train();
            for (int start = 0; start < n; start += batch) {
                tape.reset();
                Tensor logits = model.forward(tape, Tensor.view(x, 2 * start, batch, 2));
                Tensor loss = Losses.crossEntropy(tape, logits, labels, start);
                opt.zeroGrad();
                tape.backward(loss);
                opt.step();
                lastLoss = loss.item();
            }
        }
        model.eval();
        Tensor scores = model.forward(Tape.inference(), Tensor.of(test, 256, 2));
        testAccuracy[0] = Metrics.accuracy(scores, testLabels);
        testAccuracy[1] = lastLoss;
        return model.store().data().clone();
    }

    @Test
    void mlpWithAdamLearnsXorAndRepeatsFromItsSeed() {
        double[] acc = new double[2];
        float[] first = train(7, 30, acc);
        assertTrue(acc[0] >= 0.97, "test accuracy " + acc[0]);
        assertTrue(acc[1] < 0.2, "last batch loss " + acc[1]);
        double[] again = new double[2];
        assertArrayEquals(first, train(7, 30, again), "the same seed trains the same weights");
        assertEquals(acc[0], again[0]);
    }

    @Test
    void twoModelsTrainInTwoThreadsAsTheyDoAlone() throws Exception {
        float[] alone7 = train(7, 4, new double[2]);
        float[] alone8 = train(8, 4, new double[2]);
        float[][] together = new float[2][];
        Thread other = new Thread(() -> together[1] = train(8, 4, new double[2]));
        other.start();
        together[0] = train(7, 4, new double[2]);
        other.join();
        assertArrayEquals(alone7, together[0]);
        assertArrayEquals(alone8, together[1]);
    }
}
