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

    /**
     * A small convolutional network, against PyTorch 1.13:
     * <pre>
     * m = nn.Sequential(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(27, 4))
     * m[0].weight = 0.3 sin(i + 1), m[0].bias = 0.1 cos(i), m[4].weight = 0.2 sin(2i + 0.5), m[4].bias = -0.05 i
     * x = cos(0.7 i) as 2 x 2 x 8 x 8 (requires grad), y = [3, 1]
     * F.cross_entropy(m(x), y).backward()
     * </pre>
     */
    @Test
    void convolutionalLossAndGradientsMatch() {
        Model m = new Model(new Sequential(new Conv2d(2, 3, 3), new Relu(), new MaxPool2d(2), new Flatten(),
                new Linear(27, 4)), 0);
        m.store().param("0.weight").set(fill(54, i -> 0.3 * Math.sin(i + 1)));
        m.store().param("0.bias").set(fill(3, i -> 0.1 * Math.cos(i)));
        m.store().param("4.weight").set(fill(108, i -> 0.2 * Math.sin(2 * i + 0.5)));
        m.store().param("4.bias").set(fill(4, i -> -0.05 * i));
        Tensor x = Tensor.variable(fill(256, i -> Math.cos(0.7 * i)), 2, 2, 8, 8);
        Tape tape = new Tape();
        Tensor loss = Losses.crossEntropy(tape, m.forward(tape, x), new int[] {3, 1});
        tape.backward(loss);
        assertEquals(1.4502813816070557, loss.item(), 1e-6);
        assertArrayEquals(new float[] {
                0.11280525475740433f, 0.11418198049068451f, 0.061857134103775024f, 0.06014509126543999f,
                0.11351761221885681f, 0.11350095272064209f, -0.01951225847005844f, 0.061898741871118546f,
                0.11419782787561417f, 0.10874839872121811f, 0.049239564687013626f, -0.03342745080590248f,
                0.11759515106678009f, 0.10784731060266495f, 0.04737721011042595f, 0.07365715503692627f,
                0.1180458664894104f, 0.10691574215888977f, 0.09344355762004852f, 0.021100308746099472f,
                -0.061166733503341675f, 0.12182826548814774f, 0.09211572259664536f, 0.019079681485891342f,
                0.09552817046642303f, 0.1217832863330841f, 0.09076183289289474f, 0.0068627395667135715f,
                -0.07311760634183884f, -0.11870962381362915f, 0.0821136087179184f, 0.004816434811800718f,
                -0.07474599033594131f, 0.12050624936819077f, 0.08058851957321167f, 0.002768744947388768f,
                -0.08250892907381058f, -0.005739329848438501f, 0.07372956722974777f, -0.12020479142665863f,
                -0.08099997788667679f, -0.003699628170579672f, -0.1039445698261261f, -0.1199023425579071f,
                -0.07946818321943283f, 0.008540374226868153f, 0.08454493433237076f, 0.12078674137592316f,
                -0.06982099264860153f, 0.010575263760983944f, 0.0859978049993515f, -0.1168418899178505f,
                -0.06814131885766983f, 0.01260716374963522f},
                m.store().param("0.weight").grad(), 1e-6f);
        assertArrayEquals(new float[] {
                0.06810017675161362f, -0.014948423951864243f, -0.11062581092119217f},
                m.store().param("0.bias").grad(), 1e-6f);
        float[] dx = x.gradToArray();
        assertArrayEquals(new float[] {
                0.0f, 0.021627042442560196f, 0.024241287261247635f, 0.004568200092762709f,
                -0.002726504812017083f, 0.0f, 0.0f, 0.0f, -0.005458582658320665f, -0.014064519666135311f,
                -0.028619104996323586f, -0.0044388375245034695f, 0.012894125655293465f, -0.024717357009649277f,
                -0.018804151564836502f, 0.0f},
                java.util.Arrays.copyOf(dx, 16), 1e-6f);
        double squares = 0;
        for (float v : dx) {
            squares += (double) v * v;
        }
        assertEquals(0.16754258837767047, squares, 1e-6);
    }
}
