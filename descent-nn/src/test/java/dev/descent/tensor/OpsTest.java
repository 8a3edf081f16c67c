package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static dev.descent.tensor.GradCheck.check;
import static dev.descent.tensor.GradCheck.variable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsTest {
    private static final Tape T = Tape.inference();

    @Test
    void elementwiseValuesWithBroadcasting() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = Tensor.of(new float[] {10, 20, 30}, 3);
        Tensor col = Tensor.of(new float[] {2, 4}, 2, 1);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, Ops.add(T, a, row).toArray());
        assertArrayEquals(new float[] {9, 18, 27, 6, 15, 24}, Ops.sub(T, row, a).toArray());
        assertArrayEquals(new float[] {2, 4, 6, 16, 20, 24}, Ops.mul(T, a, col).toArray());
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 1, 1.25f, 1.5f}, Ops.div(T, a, col).toArray());
        assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, Ops.add(T, Tensor.scalar(2), a).toArray());
        Tensor outer = Ops.mul(T, col, Tensor.of(new float[] {1, 2, 3}, 1, 3));
        assertArrayEquals(new int[] {2, 3}, outer.shape());
        assertArrayEquals(new float[] {2, 4, 6, 4, 8, 12}, outer.toArray());
        assertArrayEquals(new float[] {-2, -4, -6}, Ops.scale(T, Tensor.of(new float[] {1, 2, 3}, 3), -2).toArray());
    }

    @Test
    void shapesThatDoNotBroadcastNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.add(T, Tensor.zeros(2, 3), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void elementwiseGradients() {
        Tensor a = variable(1, 1f, 3, 4);
        Tensor b = variable(2, 1f, 3, 4);
        Tensor row = variable(3, 1f, 4);
        Tensor col = variable(4, 1f, 3, 1);
        Tensor s = variable(5, 1f);
        check(t -> Ops.add(t, a, b), a, b);
        check(t -> Ops.sub(t, a, row), a, row);
        check(t -> Ops.sub(t, row, a), a, row);
        check(t -> Ops.mul(t, a, b), a, b);
        check(t -> Ops.mul(t, col, row), col, row);
        check(t -> Ops.div(t, a, col), a, col);
        check(t -> Ops.add(t, s, a), s, a);
        check(t -> Ops.mul(t, a, a), a);
        check(t -> Ops.scale(t, a, 3f), a);
    }

    @Test
    void broadcastingAcrossThreeDimensions() {
        Tensor a = variable(6, 1f, 2, 1, 3);
        Tensor b = variable(7, 1f, 4, 1);
        Tensor y = Ops.mul(T, a, b);
        assertArrayEquals(new int[] {2, 4, 3}, y.shape());
        assertEquals(a.get(3 + 2) * b.get(1), y.get(12 + 3 + 2));
        check(t -> Ops.mul(t, a, b), a, b);
    }

    @Test
    void reductions() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(21f, Ops.sum(T, a).item());
        assertEquals(3.5f, Ops.mean(T, a).item());
        assertArrayEquals(new float[] {5, 7, 9}, Ops.sum(T, a, 0).toArray());
        assertArrayEquals(new float[] {2, 5}, Ops.mean(T, a, -1).toArray());
        assertArrayEquals(new int[] {2}, Ops.sum(T, a, 1).shape());
        Tensor x = variable(8, 1f, 2, 3, 4);
        check(t -> Ops.sum(t, x), x);
        check(t -> Ops.mean(t, x), x);
        for (int axis = 0; axis < 3; axis++) {
            int ax = axis;
            check(t -> Ops.sum(t, x, ax), x);
            check(t -> Ops.mean(t, x, ax), x);
        }
        assertThrows(IllegalArgumentException.class, () -> Ops.sum(T, x, 3));
    }

    @Test
    void reshapeSharesValuesAndInfersOneDimension() {
        Tensor x = variable(9, 1f, 2, 3, 4);
        Tensor y = Ops.reshape(T, x, 2, -1);
        assertArrayEquals(new int[] {2, 12}, y.shape());
        assertEquals(x.get(17), y.get(17));
        check(t -> Ops.mul(t, Ops.reshape(t, x, 6, 4), Ops.reshape(t, x, 6, 4)), x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.reshape(T, x, 5, -1));
        assertTrue(e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ops.reshape(T, x, 2, 3));
    }

    @Test
    void matmulMatchesTheDefinitionAndItsGradients() {
        int m = 5;
        int k = 7;
        int n = 3;
        Tensor a = variable(10, 1f, m, k);
        Tensor b = variable(11, 1f, k, n);
        Tensor c = Ops.matmul(T, a, b);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a.get(i * k + p) * b.get(p * n + j);
                }
                assertEquals(s, c.get(i * n + j), 1e-5);
            }
        }
        check(t -> Ops.matmul(t, a, b), a, b);
        assertThrows(IllegalArgumentException.class, () -> Ops.matmul(T, a, a));
    }

    @Test
    void linearIsXTimesWTransposedPlusBias() {
        Tensor x = variable(12, 1f, 4, 6);
        Tensor w = variable(13, 1f, 3, 6);
        Tensor b = variable(14, 1f, 3);
        Tensor y = Ops.linear(T, x, w, b);
        for (int r = 0; r < 4; r++) {
            for (int o = 0; o < 3; o++) {
                double s = b.get(o);
                for (int i = 0; i < 6; i++) {
                    s += x.get(r * 6 + i) * w.get(o * 6 + i);
                }
                assertEquals(s, y.get(r * 3 + o), 1e-5);
            }
        }
        check(t -> Ops.linear(t, x, w, b), x, w, b);
        check(t -> Ops.linear(t, x, w, null), x, w);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.linear(T, Tensor.zeros(4, 5), w, b));
        assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[3, 6]"), e.getMessage());
    }

    @Test
    void gradientsAccumulateOverUsesAndBackwardCalls() {
        Tensor x = Tensor.variable(new float[] {2f, -3f}, 2);
        Tape tape = new Tape();
        // f = sum(x * x + x): df/dx = 2x + 1
        Tensor f = Ops.sum(tape, Ops.add(tape, Ops.mul(tape, x, x), x));
        tape.backward(f);
        assertArrayEquals(new float[] {5f, -5f}, x.gradToArray());
        tape.reset();
        tape.backward(Ops.sum(tape, x));
        assertArrayEquals(new float[] {6f, -4f}, x.gradToArray());
    }

    @Test
    void constantsTakeNoGradientAndInferenceRecordsNothing() {
        Tensor c = Tensor.of(new float[] {1, 2}, 2);
        Tensor x = Tensor.variable(new float[] {3, 4}, 2);
        Tape tape = new Tape();
        Tensor y = Ops.mul(tape, c, c);
        assertFalse(y.requiresGrad());
        assertEquals(0, tape.size());
        Tape inference = Tape.inference();
        Tensor z = Ops.mul(inference, x, c);
        assertFalse(z.requiresGrad());
        assertEquals(0, inference.size());
        assertThrows(IllegalArgumentException.class, () -> tape.backward(Ops.sum(tape, y)));
        assertThrows(IllegalArgumentException.class, () -> tape.backward(Ops.mul(tape, x, c)));
    }

    @Test
    void resetRecyclesBuffers() {
        Tensor x = variable(15, 1f, 8, 8);
        Tape tape = new Tape();
        float[] first = Activations.relu(tape, x).data();
        tape.reset();
        assertEquals(0, tape.size());
        float[] second = Activations.relu(tape, x).data();
        assertTrue(first == second, "the buffer of the first step is reused after reset");
    }

    @Test
    void readingAResultAfterItsTapeWasResetFails() {
        Tensor x = variable(17, 1f, 4);
        Tape tape = new Tape();
        Tensor loss = Ops.sum(tape, x);
        float before = loss.item();
        tape.reset();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::item);
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
        assertThrows(IllegalStateException.class, loss::toArray);
        assertEquals(before, Ops.sum(tape, x).item(), "a new result on the same tape reads fine");
        assertEquals(x.get(0), x.toArray()[0], "leaves never go stale");
    }

    @Test
    void viewsReadAtTheirOffset() {
        float[] data = {9, 9, 1, 2, 3, 4};
        Tensor v = Tensor.view(data, 2, 2, 2);
        assertArrayEquals(new float[] {2, 4, 6, 8}, Ops.add(T, v, v).toArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.view(data, 3, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(data, 2, 2));
    }

    @Test
    void theGradientCheckCatchesAWrongRule() {
        Tensor x = variable(16, 1f, 3);
        // y = 2x with a rule that claims dy/dx = 3
        java.util.function.Function<Tape, Tensor> wrong = t -> {
            Tensor y = t.result(x.shape, t.needsGrad(x));
            for (int i = 0; i < 3; i++) {
                y.data[i] = 2 * x.data[i];
            }
            t.record(y, () -> {
                float[] g = t.grad(x);
                for (int i = 0; i < 3; i++) {
                    g[i] += 3 * y.grad[i];
                }
            });
            return y;
        };
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> check(wrong, x));
    }
}
