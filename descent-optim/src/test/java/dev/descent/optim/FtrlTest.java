package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.descent.optim.PaperOptimizerTest.G;
import static dev.descent.optim.PaperOptimizerTest.THETA0;
import static dev.descent.optim.PaperOptimizerTest.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FTRL-Proximal against McMahan et al. 2013, Algorithm 1, written out in double with Keras's names. */
class FtrlTest {
    private static double[][] ftrl(double lr, double power, double n0, double l1, double l2, double shrink, double beta) {
        double[] theta = THETA0.clone();
        double[] n = {n0, n0, n0};
        double[] z = new double[3];
        double[][] expected = new double[3][];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 3; i++) {
                double g = G[t][i];
                double nNew = n[i] + g * g;
                double sigma = (Math.pow(nNew, -power) - Math.pow(n[i], -power)) / lr;
                z[i] += g + 2 * shrink * theta[i] - sigma * theta[i];
                theta[i] = Math.abs(z[i]) <= l1 ? 0
                        : -(z[i] - Math.signum(z[i]) * l1) / ((beta + Math.pow(nNew, -power)) / lr + 2 * l2);
                n[i] = nNew;
            }
            expected[t] = theta.clone();
        }
        return expected;
    }

    @Test
    void followsTheClosedFormOfThePaper() {
        check("ftrl(lr=0.5)", ftrl(0.5, -0.5, 0.1, 0, 0, 0, 0));
        check("ftrl(lr=0.5, learning_rate_power=-1, initial_accumulator_value=0.3)", ftrl(0.5, -1, 0.3, 0, 0, 0, 0));
        check("ftrl(lr=0.5, l2_regularization_strength=0.2, l2_shrinkage_regularization_strength=0.1, beta=0.7)",
                ftrl(0.5, -0.5, 0.1, 0, 0.2, 0.1, 0.7));
        check("ftrl(lr=0.5, learning_rate_power=0)", ftrl(0.5, 0, 0.1, 0, 0, 0, 0));
    }

    @Test
    void l1SetsWeightsToExactlyZero() {
        double[][] expected = ftrl(0.5, -0.5, 0.1, 0.6, 0.1, 0, 0);
        // |z| is within 0.6 for element 1 at every step and for element 0 at step 3 (after two nonzero steps).
        check("ftrl(lr=0.5, l1_regularization_strength=0.6, l2_regularization_strength=0.1)", expected);
        double[][] actual = PaperOptimizerTest.run("ftrl(lr=0.5, l1_regularization_strength=0.6, l2_regularization_strength=0.1)");
        assertArrayEquals(new double[] {0, 0, 0, 0}, new double[] {actual[0][1], actual[1][1], actual[2][1], actual[2][0]});
        assertTrue(actual[1][0] > 0.05, "element 0 is nonzero at step 2: " + actual[1][0]);
    }

    @Test
    void theStateIsTheAccumulatorAndTheLinearTerm() {
        Param p = ParamStore.of("w", 1f, 2f).param(0);
        Optimizer opt = Optimizers.create("ftrl(lr=0.1, initial_accumulator_value=0.25)", List.of(p));
        p.setGrad(0.5f, -1f);
        opt.step();
        var state = opt.stateDict().state().get(0);
        assertArrayEquals(new float[] {0.5f, 1.25f}, (float[]) state.get("accumulator"));
        // z = g − (√n' − √n)/lr · θ = 0.5 − (√0.5 − 0.5)/0.1 and −1 − (√1.25 − 0.5)/0.1 · 2.
        float[] z = (float[]) state.get("linear");
        assertArrayEquals(new float[] {(float) (0.5 - (Math.sqrt(0.5) - 0.5) / 0.1), (float) (-1 - (Math.sqrt(1.25) - 0.5) / 0.1 * 2)},
                z, 1e-5f);
    }
}
