package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.descent.optim.HandComputedStepTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code eps_placement="keras"} on Adam, AdamW and RMSprop against Keras's update rules written out by hand
 * (keras/src/optimizers/adam.py and rmsprop.py): θ = 1.5, gradients 0.7, −0.3, 1.1, a large ε so that the
 * placement shows.
 */
class EpsPlacementTest {
    private static final double THETA0 = 1.5;
    private static final double[] G = {0.7, -0.3, 1.1};

    private static double[] run(String spec) {
        return HandComputedStepTest.run(spec, G);
    }

    /**
     * Step 1 by hand: m = 0.1 · 0.7 = 0.07, v = 0.001 · 0.49 = 4.9e-4, √v = 0.0221359.
     * Keras: α = 0.1 · √0.001 / 0.1 = 0.0316228, θ = 1.5 − α · 0.07 / (0.0221359 + 0.1) = 1.4818760.
     * PyTorch: θ = 1.5 − 0.1 / 0.1 · 0.07 / (0.0221359 / √0.001 + 0.1) = 1.5 − 0.07 / 0.8 = 1.4125.
     */
    @Test
    void adamStepOneByHand() {
        assertEquals(1.4818760, run("adam(lr=0.1, eps=0.1, eps_placement=\"keras\")")[0], 1e-6);
        assertEquals(1.4125, run("adam(lr=0.1, eps=0.1)")[0], 1e-6);
        assertEquals(1.4125, run("adam(lr=0.1, eps=0.1, eps_placement=torch)")[0], 1e-6);
    }

    /** Three steps of Keras's Adam, AMSGrad and AdamW (decoupled decay first, as AdamW's own rule). */
    @Test
    void adamFamilyThreeStepsByKerasRule() {
        for (String name : List.of("adam", "adamw")) {
            for (boolean amsgrad : List.of(false, true)) {
                double lr = 0.05;
                double b1 = 0.8;
                double b2 = 0.9;
                double eps = 0.01;
                double wd = name.equals("adamw") ? 0.1 : 0;
                double theta = THETA0;
                double m = 0;
                double v = 0;
                double vMax = 0;
                double[] expected = new double[3];
                for (int t = 1; t <= 3; t++) {
                    theta *= 1 - lr * wd;
                    double g = G[t - 1];
                    m = b1 * m + (1 - b1) * g;
                    v = b2 * v + (1 - b2) * g * g;
                    vMax = Math.max(vMax, v);
                    double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
                    theta -= m * alpha / (Math.sqrt(amsgrad ? vMax : v) + eps);
                    expected[t - 1] = theta;
                }
                String spec = name + "(lr=0.05, betas=(0.8, 0.9), eps=0.01, weight_decay=" + wd + ", amsgrad=" + amsgrad
                        + ", eps_placement=\"keras\")";
                assertClose(spec, expected, run(spec));
            }
        }
    }

    /** With ε = 0 the two placements are the same rule; they differ only in rounding. */
    @Test
    void placementsAgreeWithoutEps() {
        for (String name : List.of("adam", "adamw", "rmsprop")) {
            double[] torch = run(name + "(lr=0.01, eps=0)");
            double[] keras = run(name + "(lr=0.01, eps=0, eps_placement=\"keras\")");
            assertClose(name, torch, keras);
        }
    }

    /**
     * Step 1 by hand: v = 0.01 · 0.49 = 0.0049. Keras: θ = 1.5 − 0.01 · 0.7 / √(0.0049 + 0.1) = 1.4783872;
     * PyTorch: θ = 1.5 − 0.01 · 0.7 / (0.07 + 0.1) = 1.4588235.
     */
    @Test
    void rmspropStepOneByHand() {
        assertEquals(1.4783872, run("rmsprop(lr=0.01, eps=0.1, eps_placement=\"keras\")")[0], 1e-6);
        assertEquals(1.4588235, run("rmsprop(lr=0.01, eps=0.1)")[0], 1e-6);
    }

    /** Three steps of Keras's RMSprop, centered or not, with momentum (constant lr, where the forms agree). */
    @Test
    void rmspropThreeStepsByKerasRule() {
        for (boolean centered : List.of(false, true)) {
            double lr = 0.01;
            double rho = 0.9;
            double eps = 0.05;
            double mu = 0.5;
            double theta = THETA0;
            double v = 0;
            double mean = 0;
            double buf = 0;
            double[] expected = new double[3];
            for (int t = 0; t < 3; t++) {
                double g = G[t];
                v = rho * v + (1 - rho) * g * g;
                mean = rho * mean + (1 - rho) * g;
                double denominator = centered ? v - mean * mean + eps : v + eps;
                buf = mu * buf + lr * g / Math.sqrt(denominator);
                theta -= buf;
                expected[t] = theta;
            }
            String spec = "rmsprop(lr=0.01, alpha=0.9, eps=0.05, momentum=0.5, centered=" + centered + ", eps_placement=keras)";
            assertClose(spec, expected, run(spec));
        }
    }

    @Test
    void unknownPlacementIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("adam(eps_placement=\"tf\")"));
        assertEquals("adam: eps_placement=\"tf\" is invalid: must be one of [\"torch\", \"keras\"]", e.getMessage());
        assertTrue(Optimizers.parse("rmsprop").toString().endsWith("eps_placement=\"torch\")"));
        assertArrayEquals(run("adam(lr=0.1)"), run("adam(lr=0.1, eps_placement=\"torch\")"));
    }
}
