package dev.descent.nn;

import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One forward and backward pass of a small network against PyTorch 1.13. The values come from:
 * <pre>
 * m = nn.Sequential(nn.Linear(6, 5), nn.GELU(), nn.Linear(5, 3))
 * m[0].weight = 0.3 sin(i + 1), m[0].bias = 0.1 cos(i), m[2].weight = 0.4 sin(2i + 0.5), m[2].bias = -0.05 i
 * x = cos(0.7 i) as 4 x 6, y = [2, 0, 1, 2]
 * F.cross_entropy(m(x), y).backward()
 * </pre>
 * with i the row-major index of each element.
 */
class PyTorchParityTest {
    private static float[] fill(int n, IntToDoubleFunction f) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) f.applyAsDouble(i);
        }
        return a;
    }

    @Test
    void lossAndGradientsMatch() {
        Model m = new Model(new Sequential(new Linear(6, 5), new Gelu(), new Linear(5, 3)), 0);
        m.store().param("0.weight").set(fill(30, i -> 0.3 * Math.sin(i + 1)));
        m.store().param("0.bias").set(fill(5, i -> 0.1 * Math.cos(i)));
        m.store().param("2.weight").set(fill(15, i -> 0.4 * Math.sin(2 * i + 0.5)));
        m.store().param("2.bias").set(fill(3, i -> -0.05 * i));
        Tensor x = Tensor.of(fill(24, i -> Math.cos(0.7 * i)), 4, 6);
        Tape tape = new Tape();
        Tensor loss = Losses.crossEntropy(tape, m.forward(tape, x), new int[] {2, 0, 1, 2});
        tape.backward(loss);
        assertEquals(1.0455669164657593, loss.item(), 1e-6);
        assertArrayEquals(new float[] {-0.15216763f, -0.13167387f, -0.049251825f, 0.056334127f, 0.13542525f,
                0.15082377f, 0.1265079f, 0.08665982f, 0.006054275f, -0.07739869f, -0.12444985f, -0.11297029f,
                0.02834054f, 0.034600604f, 0.02458746f, 0.00301045f, -0.019982422f, -0.033577245f, -0.13450523f,
                -0.10104202f, -0.020057172f, 0.07036088f, 0.12768711f, 0.1249601f, 0.09173163f, 0.047128353f,
                -0.019640125f, -0.07717155f, -0.09840798f, -0.073361605f},
                m.store().param("0.weight").grad(), 1e-6f);
        assertArrayEquals(new float[] {-0.124286465f, 0.10585179f, 0.065663807f, -0.14575332f, 0.028272405f},
                m.store().param("0.bias").grad(), 1e-6f);
        assertArrayEquals(new float[] {0.19485225f, 0.18390974f, 0.14722888f, 0.10216914f, 0.055086188f,
                0.11078244f, 0.11556041f, 0.10060055f, 0.08271218f, 0.075688526f, -0.30563468f, -0.29947016f,
                -0.24782944f, -0.18488131f, -0.13077471f},
                m.store().param("2.weight").grad(), 1e-6f);
        assertArrayEquals(new float[] {0.12939689f, 0.041117877f, -0.17051476f}, m.store().param("2.bias").grad(), 1e-6f);
    }
}
