package dev.descent.nn;

import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelsTest {
    private static List<String> names(Model m) {
        return m.params().stream().map(p -> p.name()).toList();
    }

    @Test
    void tutorialMlp() {
        Model m = Models.build("mlp(hidden=[128], dropout=0.2)", new int[] {784}, 10, 1);
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), names(m));
        assertEquals(784 * 128 + 128 + 128 * 10 + 10, m.parameterCount());
        Sequential s = (Sequential) m.root();
        assertEquals(List.of(Linear.class, Relu.class, Dropout.class, Linear.class),
                s.layers().stream().map(Object::getClass).toList());
        assertEquals(0.2f, ((Dropout) s.layers().get(2)).p());
        assertArrayEquals(new int[] {5, 10}, m.forward(Tape.inference(), Tensor.zeros(5, 784)).shape());
    }

    @Test
    void variants() {
        Model deep = Models.build("MLP(hidden=(64, 32), activation=Tanh, init=he_normal, bias=false)", new int[] {20}, 3, 1);
        assertEquals(List.of("0.weight", "2.weight", "4.weight"), names(deep));
        assertEquals(Tanh.class, ((Sequential) deep.root()).layers().get(1).getClass());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                names(Models.build("mlp(hidden=16)", new int[] {4}, 2, 1)));
        assertEquals(List.of("0.weight", "0.bias"), names(Models.build("logreg()", new int[] {784}, 10, 1)));
        assertEquals(List.of("0.weight", "0.bias"), names(Models.build("mlp(hidden=[])", new int[] {5}, 2, 1)));
        Model lin = Models.build("linreg", new int[] {3}, 1, 1);
        assertArrayEquals(new int[] {1, 3}, lin.params().get(0).shape());
        assertTrue(Models.isRegression(dev.descent.optim.spec.SpecParser.parse("linreg()")));
    }

    @Test
    void imagesAreFlattenedFirst() {
        Model m = Models.build("mlp(hidden=[8])", new int[] {1, 4, 4}, 3, 1);
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias"), names(m));
        assertArrayEquals(new int[] {2, 3}, m.forward(Tape.inference(), Tensor.zeros(2, 1, 4, 4)).shape());
    }

    @Test
    void errorsNameTheValidChoicesAndTheClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.module("mpl(hidden=[10])", new int[] {4}, 2));
        assertEquals("unknown model 'mpl'; did you mean 'mlp'? valid names: cnn, linreg, logreg, mlp", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.module("mlp(hiden=[10])", new int[] {4}, 2));
        assertEquals("unknown key for mlp 'hiden'; did you mean 'hidden'? valid names: activation, bias, dropout, "
                + "hidden, init", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.module("mlp(activation=rleu)", new int[] {4}, 2));
        assertTrue(e.getMessage().contains("did you mean 'relu'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.module("mlp(dropout=1.5)", new int[] {4}, 2));
        assertEquals("mlp: dropout=1.5 must be in [0, 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.module("mlp(hidden=[10, 0])", new int[] {4}, 2));
        assertTrue(e.getMessage().contains("hidden=[10, 0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.module("mlp(hidden=[1.5])", new int[] {4}, 2));
        assertTrue(e.getMessage().contains("hidden=[1.5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.module("logreg(init=foo)", new int[] {4}, 2));
        assertTrue(e.getMessage().contains("unknown initializer 'foo'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Models.module("logreg(3)", new int[] {4}, 2));
        assertThrows(IllegalArgumentException.class, () -> Models.module("logreg()", new int[] {4}, 0));
        assertThrows(IllegalArgumentException.class, () -> Models.module("logreg(", new int[] {4}, 2));
    }

    @Test
    void cnnOnFashionMnistShapes() {
        Model m = Models.build("cnn()", new int[] {784}, 10, 1);
        List<Class<?>> kinds = ((Sequential) m.root()).layers().stream().<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(Reshape.class, Conv2d.class, Relu.class, MaxPool2d.class, Conv2d.class, Relu.class,
                MaxPool2d.class, Flatten.class, Linear.class, Relu.class, Linear.class), kinds);
        assertEquals(List.of("1.weight", "1.bias", "4.weight", "4.bias", "8.weight", "8.bias", "10.weight", "10.bias"),
                names(m));
        assertArrayEquals(new int[] {128, 1600}, m.params().get(4).shape());
        assertArrayEquals(new int[] {2, 10}, m.forward(Tape.inference(), Tensor.zeros(2, 784)).shape());
        Model images = Models.build("cnn(channels=[4], kernel_size=5, hidden=[], dropout=0.1)", new int[] {3, 12, 12}, 2, 1);
        assertEquals(List.of("0.weight", "0.bias", "4.weight", "4.bias"), names(images));
        assertArrayEquals(new int[] {2, 4 * 4 * 4}, images.params().get(2).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.module("cnn()", new int[] {10}, 2));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.module("cnn(channels=[8, 8, 8])", new int[] {1, 12, 12}, 2));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }

    /**
     * Every spec's default initialization is the tutorials' (Keras's): Glorot-uniform weights, with Conv2d's
     * fans counting the kernel (in * k * k, out * k * k), and zero biases; the same seed gives the same weights.
     */
    @Test
    void specDefaultsAreGlorotUniformWeightsAndZeroBiases() {
        for (String spec : List.of("mlp(hidden=[128], dropout=0.2)", "logreg()", "linreg()", "cnn()")) {
            int outputs = spec.equals("linreg()") ? 1 : 10;
            Model m = Models.build(spec, new int[] {1, 28, 28}, outputs, 3);
            for (dev.descent.optim.Param p : m.params()) {
                float[] v = p.values();
                if (p.name().endsWith("bias")) {
                    assertArrayEquals(new float[v.length], v, spec + " " + p.name());
                    continue;
                }
                int[] shape = p.shape();
                int receptive = shape.length == 4 ? shape[2] * shape[3] : 1;
                double bound = Math.sqrt(6.0 / ((shape[0] + shape[1]) * (double) receptive));
                double max = 0;
                double sum = 0;
                for (float x : v) {
                    max = Math.max(max, Math.abs(x));
                    sum += x;
                }
                String what = spec + " " + p.name() + " " + java.util.Arrays.toString(shape);
                assertTrue(max <= bound, what + ": max |w| " + max + " above the Glorot bound " + bound);
                if (v.length >= 100) {
                    assertTrue(max > 0.9 * bound, what + ": max |w| " + max + " far below the Glorot bound " + bound);
                    assertEquals(0, sum / v.length, 4 * bound / Math.sqrt(3 * v.length), what + ": mean");
                }
            }
            assertArrayEquals(m.store().data(), Models.build(spec, new int[] {1, 28, 28}, outputs, 3).store().data(), spec);
            assertFalse(java.util.Arrays.equals(m.store().data(), Models.build(spec, new int[] {1, 28, 28}, outputs, 4).store().data()),
                    spec + ": another seed, other weights");
        }
    }
}
