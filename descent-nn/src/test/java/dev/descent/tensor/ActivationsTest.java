package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.descent.tensor.GradCheck.check;
import static dev.descent.tensor.GradCheck.variable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationsTest {
    private static final Tape T = Tape.inference();

    private static Tensor vec(float... v) {
        return Tensor.of(v, v.length);
    }

    @Test
    void reluOnALargeTensorInPiecesPerThread() {
        int n = (1 << 18) + 37;
        SplittableRandom r = new SplittableRandom(71);
        float[] v = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
            g[i] = (float) r.nextGaussian();
        }
        float[] expectedY = new float[n];
        float[] expectedGrad = new float[n];
        for (int i = 0; i < n; i++) {
            expectedY[i] = Math.max(v[i], 0f);
            expectedGrad[i] = v[i] > 0 ? g[i] : 0f;
        }
        for (boolean leaf : new boolean[] {true, false}) {
            Tensor x = Tensor.variable(v.clone(), n);
            Tape tape = new Tape();
            Tensor y = Activations.relu(tape, leaf ? x : Ops.scale(tape, x, 1f));
            assertArrayEquals(expectedY, y.toArray());
            tape.backward(y, g);
            assertArrayEquals(expectedGrad, x.gradToArray(), leaf ? "added to a leaf's gradient" : "set");
        }
    }

    @Test
    void valuesMatchPyTorch() {
        Tensor x = vec(-2f, -0.5f, 0f, 1f, 3f);
        assertArrayEquals(new float[] {0, 0, 0, 1, 3}, Activations.relu(T, x).toArray());
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0, 1, 3}, Activations.leakyRelu(T, x, 0.01f).toArray());
        // torch.nn.functional.gelu(torch.tensor([-2., -0.5, 0., 1., 3.]))
        assertArrayEquals(new float[] {-0.0455001f, -0.154268786f, 0f, 0.841344714f, 2.995950222f},
                Activations.gelu(T, x, false).toArray(), 3e-7f);
        // approximate='tanh'
        assertArrayEquals(new float[] {-0.045402288f, -0.154285997f, 0f, 0.841192007f, 2.996362686f},
                Activations.gelu(T, x, true).toArray(), 3e-7f);
        assertEquals(-8.958687807200846e-12, Activations.gelu(T, vec(-7f), false).item(), 2e-18,
                "accurate in the tail, where 1 + erf(x) would cancel");
        assertArrayEquals(new float[] {-0.9640276f, -0.46211717f, 0, 0.7615942f, 0.9950548f},
                Activations.tanh(T, x).toArray(), 1e-7f);
        assertArrayEquals(new float[] {0.11920292f, 0.37754068f, 0.5f, 0.7310586f, 0.95257413f},
                Activations.sigmoid(T, x).toArray(), 1e-7f);
        assertEquals(0f, Activations.sigmoid(-200f));
        assertEquals(1f, Activations.sigmoid(200f));
    }

    @Test
    void softmaxIsStableAndSumsToOne() {
        Tensor x = Tensor.of(new float[] {1000f, 1001f, 1002f, -5f, 0f, 5f}, 2, 3);
        float[] p = Activations.softmax(T, x).toArray();
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f}, java.util.Arrays.copyOf(p, 3), 1e-6f);
        assertEquals(1f, p[3] + p[4] + p[5], 1e-6f);
        float[] lp = Activations.logSoftmax(T, x).toArray();
        assertArrayEquals(new float[] {-2.4076059f, -1.4076059f, -0.40760595f}, java.util.Arrays.copyOf(lp, 3), 1e-5f);
        assertEquals(Math.log(p[3]), lp[3], 1e-5);
    }

    @Test
    void gradientsOfEveryActivation() {
        Tensor x = variable(21, 2f, 3, 5);
        check(t -> Activations.relu(t, x), x);
        check(t -> Activations.leakyRelu(t, x, 0.1f), x);
        check(t -> Activations.gelu(t, x, false), x);
        check(t -> Activations.gelu(t, x, true), x);
        check(t -> Activations.tanh(t, x), x);
        check(t -> Activations.sigmoid(t, x), x);
        check(t -> Activations.softmax(t, x), x);
        check(t -> Activations.logSoftmax(t, x), x);
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRest() {
        int n = 20000;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        float[] y = Activations.dropout(T, Tensor.of(ones, n), 0.2f, new SplittableRandom(1)).toArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(1.25f, v);
            }
        }
        assertEquals(0.2, zeros / (double) n, 0.015);
        assertArrayEquals(y, Activations.dropout(T, Tensor.of(ones, n), 0.2f, new SplittableRandom(1)).toArray(),
                "the same seed draws the same mask");
        assertArrayEquals(ones, Activations.dropout(T, Tensor.of(ones, n), 0f, new SplittableRandom(1)).toArray());
        assertArrayEquals(new float[n], Activations.dropout(T, Tensor.of(ones, n), 1f, new SplittableRandom(1)).toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Activations.dropout(T, Tensor.of(ones, n), 1.5f, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("p=1.5"), e.getMessage());
    }

    @Test
    void dropoutGradientUsesTheSameMask() {
        Tensor x = variable(22, 1f, 4, 6);
        check(t -> Activations.dropout(t, x, 0.3f, new SplittableRandom(5)), x);
    }
}
