package dev.descent.nn;

import dev.descent.tensor.Ops;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.descent.tensor.GradCheck.check;
import static dev.descent.tensor.GradCheck.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {
    private static final Tape T = Tape.inference();

    @Test
    void valuesMatchPyTorch() {
        // torch.nn.functional.cross_entropy / binary_cross_entropy_with_logits / mse_loss on the same inputs
        Tensor z = Tensor.of(new float[] {2f, -1f, 0.5f, 0.1f, 0.2f, 0.3f, 1000f, 0f, -1000f}, 3, 3);
        assertEquals(333.7477722167969, Losses.crossEntropy(T, z, new int[] {0, 2, 1}).item(), 1e-4);
        assertEquals(333.80108642578125, Losses.crossEntropy(T, z, new int[] {0, 2, 1}, 0, 0.1f).item(), 1e-4);
        Tensor b = Tensor.of(new float[] {3f, -2f, 0.5f, -100f}, 2, 2);
        Tensor t = Tensor.of(new float[] {1f, 0f, 0.25f, 1f}, 2, 2);
        assertEquals(25.256147384643555, Losses.binaryCrossEntropyWithLogits(T, b, t).item(), 1e-5);
        Tensor p = Tensor.of(new float[] {1f, 2f, 3f}, 3);
        Tensor q = Tensor.of(new float[] {1.5f, 1f, -1f}, 3);
        assertEquals(5.75f, Losses.mse(T, p, q).item());
        assertEquals(0.5f * (1 + 2 + 3), Losses.l1Penalty(T, 0.5f, List.of(p)).item());
        assertEquals(0.5f * (1 + 4 + 9 + 2.25f + 1 + 1), Losses.l2Penalty(T, 0.5f, List.of(p, q)).item());
    }

    @Test
    void crossEntropyReadsLabelsAtAnOffset() {
        Tensor z = Tensor.of(new float[] {2f, -1f, 0.5f, 0.1f, 0.2f, 0.3f}, 2, 3);
        assertEquals(Losses.crossEntropy(T, z, new int[] {0, 2}).item(),
                Losses.crossEntropy(T, z, new int[] {9, 9, 0, 2}, 2).item());
    }

    @Test
    void gradients() {
        Tensor z = variable(31, 2f, 4, 5);
        int[] labels = {4, 0, 2, 2};
        check(tape -> Losses.crossEntropy(tape, z, labels), z);
        check(tape -> Losses.crossEntropy(tape, z, labels, 0, 0.2f), z);
        Tensor targets = Tensor.of(new float[] {1, 0, 0.3f, 1, 0, 0, 1, 0.5f, 0, 1, 1, 0, 0, 0, 1, 0.7f, 1, 0, 0, 1}, 4, 5);
        check(tape -> Losses.binaryCrossEntropyWithLogits(tape, z, targets), z);
        Tensor p = variable(32, 1f, 3, 2);
        Tensor q = variable(33, 1f, 3, 2);
        check(tape -> Losses.mse(tape, p, q), p, q);
        check(tape -> Losses.l1Penalty(tape, 0.3f, List.of(p, q)), p, q);
        check(tape -> Losses.l2Penalty(tape, 0.3f, List.of(p, q)), p, q);
        check(tape -> Ops.add(tape, Losses.mse(tape, p, q), Losses.l2Penalty(tape, 0.1f, List.of(p))), p, q);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverBatch() {
        Tensor z = Tensor.variable(new float[] {0f, 0f, 0f, 0f}, 2, 2);
        Tape tape = new Tape();
        tape.backward(Losses.crossEntropy(tape, z, new int[] {0, 1}));
        assertEquals(-0.25f, z.gradToArray()[0]);
        assertEquals(0.25f, z.gradToArray()[1]);
    }

    @Test
    void badLabelsAndShapesAreNamed() {
        Tensor z = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(T, z, new int[] {0, 3}));
        assertTrue(e.getMessage().contains("label 3 of row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(T, z, new int[] {0, 1}, 0, 1.5f));
        assertTrue(e.getMessage().contains("label_smoothing=1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(T, z, new int[] {0}));
        assertTrue(e.getMessage().contains("need 2 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.mse(T, z, Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.l2Penalty(T, -1f, List.of(z)));
    }

    @Test
    void accuracyCountsArgmaxHits() {
        Tensor s = Tensor.of(new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0.5f, 0.5f}, 3, 2);
        assertEquals(2, Metrics.correct(s, new int[] {1, 0, 1}, 0));
        assertEquals(1.0, Metrics.accuracy(s, new int[] {1, 0, 0}));
        Tensor binary = Tensor.of(new float[] {2f, -1f, 0.5f}, 3, 1);
        assertEquals(3, Metrics.correct(binary, new int[] {1, 0, 1}, 0));
    }
}
