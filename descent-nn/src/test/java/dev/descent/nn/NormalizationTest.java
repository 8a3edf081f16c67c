package dev.descent.nn;

import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.descent.tensor.GradCheck.check;
import static dev.descent.tensor.GradCheck.variable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizationTest {
    private static final float[] X = {1, 2, 3, 4, -5, 6, 0.5f, 0, -1, 2, 2, 2};

    private static Tensor[] all(Model m, Tensor x) {
        List<Tensor> ts = new ArrayList<>();
        ts.add(x);
        m.params().forEach(p -> ts.add(m.tensor(p.name())));
        return ts.toArray(new Tensor[0]);
    }

    @Test
    void batchNormMatchesPyTorchInTrainingAndEvaluation() {
        BatchNorm bn = new BatchNorm(3);
        Model m = new Model(bn, 0);
        m.store().param("weight").set(1f, 2f, 0.5f);
        m.store().param("bias").set(0f, 1f, -1f);
        Tensor y = m.forward(new Tape(), Tensor.of(X, 4, 3));
        // torch.nn.BatchNorm1d(3) with the same weight and bias, one training step
        assertArrayEquals(new float[] {-0.6527515f, 2.5726662f, -0.9000001f, 1.5852538f, -2.3200734f, -0.3000006f,
                -1.0257524f, 1.1747407f, -1.6999995f, 0.09325027f, 2.5726662f, -1.0999999f}, y.toArray(), 2e-6f);
        assertArrayEquals(new float[] {0.1875f, -0.025f, 0.25f}, bn.runningMean(), 1e-7f);
        assertArrayEquals(new float[] {1.1395833f, 1.9916667f, 1.7333333f}, bn.runningVar(), 1e-6f);
        assertTrue(m.buffers().containsKey("running_mean") && m.buffers().get("running_var") == bn.runningVar());
        m.eval();
        Tensor e = m.forward(Tape.inference(), Tensor.of(X, 4, 3));
        assertArrayEquals(new float[] {0.7611117f, 3.86976f, 0.04438445f}, java.util.Arrays.copyOf(e.toArray(), 3), 2e-6f);
    }

    @Test
    void batchNormGradients() {
        Model m = new Model(new BatchNorm(3), 0);
        m.store().param("weight").set(1.5f, -0.5f, 0.8f);
        m.store().param("bias").set(0.1f, 0.2f, 0.3f);
        Tensor x = variable(51, 1f, 5, 3);
        check(t -> m.forward(t, x), all(m, x));
        Tensor image = variable(52, 1f, 2, 3, 2, 2);
        check(t -> m.forward(t, image), all(m, image));
        m.eval();
        check(t -> m.forward(t, x), all(m, x));
    }

    @Test
    void batchNormNamesItsLayerOnAShapeMismatch() {
        Model m = new Model(new Sequential(new Linear(4, 3), new BatchNorm(4)), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(new Tape(), Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().startsWith("layer '1' BatchNorm(4") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
        assertTrue(m.buffers().containsKey("1.running_mean"));
    }

    @Test
    void layerNormMatchesPyTorchAndItsGradients() {
        Model m = new Model(new LayerNorm(3), 0);
        assertArrayEquals(new float[] {-1.2247356f, 0f, 1.2247356f, 0.48771301f, -1.3934658f, 0.9057528f,
                1.069031f, 0.26725775f, -1.336289f, 0f, 0f, 0f},
                m.forward(Tape.inference(), Tensor.of(X, 4, 3)).toArray(), 2e-6f);
        m.store().param("weight").set(1.5f, -0.5f, 0.8f);
        m.store().param("bias").set(0.1f, 0.2f, 0.3f);
        Tensor x = variable(53, 1f, 2, 2, 3);
        // rows of three values curve sharply: a smaller step keeps the differences' truncation error small
        check(t -> m.forward(t, x), 1e-3, 2e-3, 1e-2, all(m, x));
        assertEquals(6, m.parameterCount());
    }
}
