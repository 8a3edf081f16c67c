package dev.descent.nn;

import dev.descent.tensor.GradCheck;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.descent.tensor.GradCheck.check;
import static dev.descent.tensor.GradCheck.variable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayersTest {

    private static Tensor[] all(Model m, Tensor x) {
        List<Tensor> ts = new java.util.ArrayList<>();
        ts.add(x);
        for (var p : m.params()) {
            ts.add(m.tensor(p.name()));
        }
        return ts.toArray(new Tensor[0]);
    }

    @Test
    void linearGradientsForInputWeightAndBias() {
        Model m = new Model(new Linear(5, 3), 1);
        Tensor x = variable(40, 1f, 4, 5);
        check(t -> m.forward(t, x), all(m, x));
        Model noBias = new Model(new Linear(5, 3, false, Init.heNormal()), 1);
        assertEquals(List.of("weight"), noBias.params().stream().map(p -> p.name()).toList());
        check(t -> noBias.forward(t, x), all(noBias, x));
    }

    @Test
    void linearKeepsLeadingDimensions() {
        Model m = new Model(new Linear(4, 2), 3);
        Tensor x = variable(41, 1f, 2, 3, 4);
        Tensor y = m.forward(Tape.inference(), x);
        assertArrayEquals(new int[] {2, 3, 2}, y.shape());
        check(t -> m.forward(t, x), all(m, x));
    }

    @Test
    void activationLayersAndTheirGradients() {
        Tensor x = variable(42, 2f, 3, 4);
        for (Module layer : List.of(new Relu(), new LeakyRelu(0.2f), new Gelu(), new Gelu(true), new Tanh(),
                new Sigmoid(), new Softmax())) {
            Model m = new Model(layer, 0);
            assertEquals(0, m.parameterCount());
            check(t -> m.forward(t, x), x);
        }
    }

    @Test
    void mlpGradientsThroughEveryLayer() {
        Model m = new Model(new Sequential(new Flatten(), new Linear(6, 5), new Gelu(), new Dropout(0.3),
                new Linear(5, 4), new Tanh(), new Linear(4, 2)), 7);
        Tensor x = variable(43, 1f, 3, 2, 3);
        // the same dropout mask in every evaluation: reseed before each forward pass
        check(t -> {
            m.root().children().get("3").seed(new SplittableRandom(11));
            return m.forward(t, x);
        }, all(m, x));
    }

    @Test
    void parametersAreNamedAsPyTorchNamesThem() {
        Model m = new Model(new Sequential(new Linear(4, 3), new Relu(), new Dropout(0.2), new Linear(3, 2)), 1);
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"),
                m.params().stream().map(p -> p.name()).toList());
        assertArrayEquals(new int[] {3, 4}, m.params().get(0).shape());
        assertEquals(4 * 3 + 3 + 3 * 2 + 2, m.parameterCount());
        assertEquals(2, m.tensors("bias").size());
        assertEquals(List.of(m.tensor("0.weight"), m.tensor("3.weight")), m.tensors("weight$"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.tensors("norm"));
        assertTrue(e.getMessage().contains("0.weight"), e.getMessage());
        assertTrue(m.toString().contains("3: Linear(3 -> 2) weight[2, 3] bias[2]"), m.toString());
    }

    @Test
    void layersReadAndWriteTheStore() {
        Linear lin = new Linear(2, 1);
        Model m = new Model(lin, 5);
        Tensor w = lin.weight().tensor();
        assertSame(m.store().data(), w.data());
        m.store().param("weight").set(1f, 2f);
        m.store().param("bias").set(0.5f);
        Tensor y = m.forward(Tape.inference(), Tensor.of(new float[] {3f, 4f}, 1, 2));
        assertEquals(3f + 8f + 0.5f, y.item());
        Tape tape = new Tape();
        tape.backward(m.forward(tape, Tensor.of(new float[] {3f, 4f}, 1, 2)));
        assertArrayEquals(new float[] {3f, 4f, 1f}, m.store().grad());
        assertTrue(m.params().stream().allMatch(p -> p.hasGrad()), "backward marks gradients defined");
        m.zeroGrad();
        assertArrayEquals(new float[3], m.store().grad());
    }

    @Test
    void initializationIsSeededAndWithinGlorotBounds() {
        Model a = new Model(new Linear(100, 50), 42);
        Model b = new Model(new Linear(100, 50), 42);
        Model c = new Model(new Linear(100, 50), 43);
        assertArrayEquals(a.store().data(), b.store().data());
        assertFalse(java.util.Arrays.equals(a.store().data(), c.store().data()));
        double bound = Math.sqrt(6.0 / 150);
        float[] w = a.store().param("weight").values();
        double max = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);
        assertArrayEquals(new float[50], a.store().param("bias").values());
    }

    @Test
    void shapeMismatchNamesTheLayerAndBothShapes() {
        Model m = new Model(new Sequential(new Linear(4, 3), new Relu(), new Linear(5, 2)), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tape.inference(), Tensor.zeros(8, 4)));
        assertEquals("layer '2' Linear(5 -> 2): input [8, 3] does not match weight [2, 5] (expected [batch, 5])",
                e.getMessage());
    }

    @Test
    void dropoutActsOnlyInTraining() {
        Model m = new Model(new Sequential(new Dropout(0.5)), 3);
        Tensor x = Tensor.of(GradCheck.random(1, 64, 1f, 0.1f), 8, 8);
        assertNotEquals(0, java.util.Arrays.compare(x.toArray(), m.forward(new Tape(), x).toArray()));
        m.eval();
        assertFalse(m.isTraining());
        assertFalse(m.root().children().get("0").isTraining());
        assertSame(x, m.forward(Tape.inference(), x));
        m.train();
        assertTrue(m.root().children().get("0").isTraining());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.2));
    }

    @Test
    void dropoutMasksFollowTheModelSeed() {
        Tensor x = Tensor.of(GradCheck.random(2, 64, 1f, 0.1f), 8, 8);
        float[] a = new Model(new Dropout(0.5), 9).forward(new Tape(), x).toArray();
        float[] b = new Model(new Dropout(0.5), 9).forward(new Tape(), x).toArray();
        float[] c = new Model(new Dropout(0.5), 10).forward(new Tape(), x).toArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void aModuleBelongsToOneModel() {
        Linear lin = new Linear(2, 2);
        new Model(lin, 1);
        assertThrows(IllegalStateException.class, () -> new Model(lin, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Linear(2, 2).weight().tensor());
        assertTrue(e.getMessage().contains("Model"), e.getMessage());
    }
}
