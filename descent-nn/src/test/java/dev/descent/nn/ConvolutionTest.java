package dev.descent.nn;

import dev.descent.tensor.Ops;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.descent.tensor.GradCheck.check;
import static dev.descent.tensor.GradCheck.variable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvolutionTest {
    private static Tensor[] all(Model m, Tensor x) {
        List<Tensor> ts = new ArrayList<>();
        ts.add(x);
        m.params().forEach(p -> ts.add(m.tensor(p.name())));
        return ts.toArray(new Tensor[0]);
    }

    /** The definition, summed directly. */
    private static float[] direct(Tensor x, Tensor w, Tensor bias, int stride, int pad, int oh, int ow) {
        int batch = x.dim(0);
        int in = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int out = w.dim(0);
        int k = w.dim(2);
        float[] y = new float[batch * out * oh * ow];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias.get(o);
                        for (int c = 0; c < in; c++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int ih = i * stride - pad + u;
                                    int iw = j * stride - pad + v;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
                                        s += w.get(((o * in + c) * k + u) * k + v) * x.get(((b * in + c) * h + ih) * wd + iw);
                                    }
                                }
                            }
                        }
                        y[((b * out + o) * oh + i) * ow + j] = (float) s;
                    }
                }
            }
        }
        return y;
    }

    @Test
    void convolutionMatchesItsDefinitionAndItsGradients() {
        int[][] configs = {{1, 0}, {1, 1}, {2, 0}, {2, 1}};
        for (int[] cfg : configs) {
            int stride = cfg[0];
            int pad = cfg[1];
            int oh = (5 + 2 * pad - 3) / stride + 1;
            int ow = (6 + 2 * pad - 3) / stride + 1;
            // one group of all three samples, groups of two (the last one short), groups of one
            for (int groupCount : new int[] {1, 2, 3}) {
                Conv2d conv = new Conv2d(2, 3, 3, stride, pad, true, Init.glorotUniform());
                conv.groupCount = groupCount;
                Model m = new Model(conv, 3);
                m.store().param("bias").set(0.1f, -0.2f, 0.3f);
                Tensor x = variable(61, 1f, 3, 2, 5, 6);
                Tensor y = m.forward(Tape.inference(), x);
                assertArrayEquals(new int[] {3, 3, oh, ow}, y.shape());
                assertArrayEquals(direct(x, m.tensor("weight"), m.tensor("bias"), stride, pad, oh, ow), y.toArray(),
                        1e-5f, "stride " + stride + " padding " + pad + " groups " + groupCount);
                check(t -> m.forward(t, x), all(m, x));
            }
        }
    }

    @Test
    void rowsWiderThanAVector() {
        // 37 columns: whole vectors and a partial one in im2col and col2im, with and without padding
        for (int pad = 0; pad <= 1; pad++) {
            int p = pad;
            Model m = new Model(new Conv2d(2, 3, 3, 1, p, true, Init.glorotUniform()), 7);
            Tensor x = variable(66, 1f, 1, 2, 3, 37);
            Tensor y = m.forward(Tape.inference(), x);
            assertArrayEquals(direct(x, m.tensor("weight"), m.tensor("bias"), 1, p, 1 + 2 * p, 35 + 2 * p),
                    y.toArray(), 1e-5f, "padding " + p);
            check(t -> m.forward(t, x), all(m, x));
        }
    }

    @Test
    void resultsDoNotDependOnTheThreads() {
        Model m = new Model(new Sequential(new Conv2d(3, 8, 3), new Relu(), new MaxPool2d(2)), 6);
        Tensor x = variable(65, 1f, 16, 3, 10, 10);
        float[][] threaded = forwardAndGradients(m, x);
        // inside a chunk of Parallel.run every split runs on the calling thread alone
        float[][][] alone = new float[1][][];
        Parallel.run(2, t -> {
            if (t == 0) {
                alone[0] = forwardAndGradients(m, x);
            }
        });
        for (int i = 0; i < threaded.length; i++) {
            assertArrayEquals(alone[0][i], threaded[i], "output, then the gradients of x, weight and bias: " + i);
        }
    }

    private static float[][] forwardAndGradients(Model m, Tensor x) {
        Tape tape = new Tape();
        m.zeroGrad();
        x.zeroGrad();
        Tensor y = m.forward(tape, x);
        float[] seed = new float[y.size()];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (i % 7) - 3f;
        }
        tape.backward(y, seed);
        return new float[][] {y.toArray(), x.gradToArray(), m.tensor("0.weight").gradToArray(),
            m.tensor("0.bias").gradToArray()};
    }

    @Test
    void trainingAndInferenceGiveTheSameOutput() {
        Model m = new Model(new Conv2d(1, 2, 2), 4);
        Tensor x = variable(62, 1f, 3, 1, 4, 4);
        assertArrayEquals(m.forward(new Tape(), x).toArray(), m.forward(Tape.inference(), x).toArray());
    }

    @Test
    void maxPoolTakesWindowMaximaAndRoutesGradientsToThem() {
        Tensor x = Tensor.of(new float[] {1, 5, 2, 0, 9, 3, 4, 7, 6, 8, 1, 2, 0, 3, 5, 4}, 1, 1, 4, 4);
        Model m = new Model(new MaxPool2d(2), 0);
        assertArrayEquals(new float[] {9, 7, 8, 5}, m.forward(Tape.inference(), x).toArray());
        Tensor odd = variable(63, 1f, 2, 3, 5, 5);
        assertArrayEquals(new int[] {2, 3, 2, 2}, m.forward(Tape.inference(), odd).shape());
        check(t -> m.forward(t, odd), odd);
        Model overlapping = new Model(new MaxPool2d(3, 2), 0);
        check(t -> overlapping.forward(t, odd), odd);
    }

    @Test
    void maxPoolRoutesTiesNanAndInfinityToTheFirstMaximum() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        // windows [3 3; 3 3], [1 NaN; NaN 2] and [-inf inf; inf 0]
        float[] v = {3, 3, 1, nan, -inf, inf, 3, 3, nan, 2, inf, 0};
        float[] expected = {1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0};
        Model m = new Model(new MaxPool2d(2), 0);
        Tensor x = Tensor.variable(v.clone(), 1, 1, 2, 6);
        Tape tape = new Tape();
        Tensor y = m.forward(tape, x);
        assertArrayEquals(new float[] {3, nan, inf}, y.toArray());
        tape.backward(y, new float[] {1, 2, 4});
        assertArrayEquals(expected, x.gradToArray(), "added to a leaf's gradient");
        // through an op result, whose new gradient the pooling sets instead of adding to it
        Tensor x2 = Tensor.variable(v.clone(), 1, 1, 2, 6);
        Tape tape2 = new Tape();
        Tensor y2 = m.forward(tape2, Ops.scale(tape2, x2, 1f));
        tape2.backward(y2, new float[] {1, 2, 4});
        assertArrayEquals(expected, x2.gradToArray(), "set in an op result's gradient");
    }

    @Test
    void maxPoolOnLargePlanesMatchesItsDefinition() {
        SplittableRandom r = new SplittableRandom(67);
        for (int size : new int[] {26, 11, 40}) {
            int planes = 6;
            int o = size / 2;
            float[] v = new float[planes * size * size];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(4); // plenty of ties
            }
            v[5] = Float.NaN;
            v[size * size + 7] = Float.POSITIVE_INFINITY;
            v[2 * size * size + 3] = Float.NEGATIVE_INFINITY;
            v[3 * size * size + size + 1] = Float.NaN;
            float[] g = new float[planes * o * o];
            for (int i = 0; i < g.length; i++) {
                g[i] = 1 + i % 5;
            }
            // the definition: the first element of the window, replaced by any later one that is larger or NaN
            float[] expectedY = new float[g.length];
            float[] expectedDx = new float[v.length];
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < o; i++) {
                    for (int j = 0; j < o; j++) {
                        int best = p * size * size + 2 * i * size + 2 * j;
                        for (int at : new int[] {best + 1, best + size, best + size + 1}) {
                            if (v[at] > v[best] || Float.isNaN(v[at]) && !Float.isNaN(v[best])) {
                                best = at;
                            }
                        }
                        int out = (p * o + i) * o + j;
                        expectedY[out] = v[best];
                        expectedDx[best] += g[out];
                    }
                }
            }
            Model m = new Model(new MaxPool2d(2), 0);
            for (boolean leaf : new boolean[] {true, false}) {
                Tensor x = Tensor.variable(v.clone(), 2, 3, size, size);
                Tape tape = new Tape();
                Tensor y = m.forward(tape, leaf ? x : Ops.scale(tape, x, 1f));
                assertArrayEquals(expectedY, y.toArray(), "size " + size);
                tape.backward(y, g);
                assertArrayEquals(expectedDx, x.gradToArray(), "size " + size + (leaf ? ", added" : ", set"));
            }
        }
    }

    @Test
    void shapeErrorsNameTheLayer() {
        Model m = new Model(new Sequential(new Conv2d(3, 4, 3)), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tape.inference(), Tensor.zeros(2, 1, 8, 8)));
        assertEquals("layer '0' Conv2d(3 -> 4, 3x3): input [2, 1, 8, 8] does not match weight [4, 3, 3, 3] "
                + "(expected [batch, 3, height, width])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tape.inference(), Tensor.zeros(2, 3, 2, 2)));
        assertTrue(e.getMessage().contains("smaller than the kernel"), e.getMessage());
    }

    @Test
    void smallCnnGradientsEndToEnd() {
        Model m = new Model(new Sequential(new Reshape(1, 6, 6), new Conv2d(1, 2, 3), new Relu(), new MaxPool2d(2),
                new Flatten(), new Linear(8, 3)), 5);
        assertEquals(List.of("1.weight", "1.bias", "5.weight", "5.bias"), m.params().stream().map(p -> p.name()).toList());
        Tensor x = variable(64, 1f, 2, 36);
        check(t -> m.forward(t, x), all(m, x));
    }
}
