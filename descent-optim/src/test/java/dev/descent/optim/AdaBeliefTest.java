package dev.descent.optim;

import org.junit.jupiter.api.Test;

import static dev.descent.optim.PaperOptimizerTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AdaBelief's rectification and AMSGrad, as adabelief_pytorch 0.2.0 computes them, against the rule written out by
 * hand in double precision over enough steps for the rectification to pass from its SGD phase (ρₜ &lt; 5) to its
 * adaptive one.
 */
class AdaBeliefTest {
    private static final int STEPS = 12;
    private static final double[] THETA0 = {1.5, -0.8, 2.3};

    /** The gradient of step t (from 1), the same for the float run and the double rule. */
    private static float grad(int t, int i) {
        return (float) ((i + 1) * Math.cos(1.3 * t + i) + (t == 4 && i == 1 ? 3 : 0));  // a jolt at t=4 lifts the max of s
    }

    private static double[][] run(String spec) {
        float[] init = new float[THETA0.length];
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) THETA0[i];
        }
        Param p = ParamStore.of("w", init).param(0);
        Optimizer opt = Optimizers.create(spec, java.util.List.of(p));
        double[][] out = new double[STEPS][THETA0.length];
        for (int t = 1; t <= STEPS; t++) {
            p.setGrad(grad(t, 0), grad(t, 1), grad(t, 2));
            opt.step();
            float[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                out[t - 1][i] = v[i];
            }
        }
        return out;
    }

    /** The reference's rule with betas (0.8, 0.9), eps 1e-3, decoupled weight decay 0.1, lr 0.05. */
    private static double[][] rule(boolean rectify, boolean amsgrad, boolean degenerated) {
        double lr = 0.05;
        double b1 = 0.8;
        double b2 = 0.9;
        double eps = 1e-3;
        double wd = 0.1;
        double[] theta = THETA0.clone();
        double[] m = new double[3];
        double[] s = new double[3];
        double[] sMax = new double[3];
        double[][] expected = new double[STEPS][];
        double rhoMax = 2 / (1 - b2) - 1;  // 19
        for (int t = 1; t <= STEPS; t++) {
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            double rho = rhoMax - 2 * t * Math.pow(b2, t) / bc2;
            for (int i = 0; i < 3; i++) {
                double g = grad(t, i);
                theta[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g;
                s[i] = b2 * s[i] + (1 - b2) * (g - m[i]) * (g - m[i]) + eps;
                sMax[i] = Math.max(sMax[i], s[i]);
                if (!rectify) {
                    theta[i] -= lr / bc1 * m[i] / (Math.sqrt(amsgrad ? sMax[i] : s[i]) / Math.sqrt(bc2) + eps);
                } else if (rho >= 5) {
                    double r = Math.sqrt(bc2 * (rho - 4) / (rhoMax - 4) * (rho - 2) / rho * rhoMax / (rhoMax - 2));
                    theta[i] -= lr * r / bc1 * m[i] / (Math.sqrt(s[i]) + eps);
                } else if (degenerated) {
                    theta[i] -= lr / bc1 * m[i];
                }
            }
            expected[t - 1] = theta.clone();
        }
        return expected;
    }

    private static String spec(String extra) {
        return "adabelief(lr=0.05, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1" + extra + ")";
    }

    @Test
    void theRectificationPassesFromSgdToAdaptiveSteps() {
        double rho5 = 19 - 2 * 5 * Math.pow(0.9, 5) / (1 - Math.pow(0.9, 5));
        double rho12 = 19 - 2 * 12 * Math.pow(0.9, 12) / (1 - Math.pow(0.9, 12));
        assertTrue(rho5 < 5 && rho12 >= 5, "the run must cover both phases: rho_5=" + rho5 + ", rho_12=" + rho12);
        assertClose("rectified (the default)", rule(true, false, true), run(spec("")), 1e-5);
        assertClose("rectified, degenerated_to_sgd=false", rule(true, false, false), run(spec(", degenerated_to_sgd=false")), 1e-5);
    }

    @Test
    void amsgradDividesByTheLargestS() {
        double[][] plain = rule(false, false, true);
        double[][] ams = rule(false, true, true);
        assertTrue(plain[STEPS - 1][1] != ams[STEPS - 1][1], "the jolt at step 4 must make the maximum matter");
        assertClose("amsgrad", ams, run(spec(", rectify=false, amsgrad=true")), 1e-5);
        assertClose("not amsgrad", plain, run(spec(", rectify=false")), 1e-5);
    }

    @Test
    void withRectificationTheMaximumIsKeptButUnusedAsInTheReference() {
        assertArrayEquals(run(spec(", amsgrad=true"))[STEPS - 1], run(spec(""))[STEPS - 1]);
        Param p = ParamStore.of("w", 1f, 2f).param(0);
        Optimizer opt = Optimizers.create(spec(", amsgrad=true"), java.util.List.of(p));
        p.setGrad(0.5f, -1f);
        opt.step();
        assertEquals(java.util.List.of("step", "exp_avg", "exp_avg_var", "max_exp_avg_var"),
                java.util.List.copyOf(opt.stateDict().state().get(0).keySet()));
    }

    /**
     * The fused loop computes the deviation as m − g (C2 keeps that form vectorized, see {@link Kernels}); this is
     * the loop as the rule writes it, (g − m)², in the same float operations, and the two must agree bit for bit:
     * for gradients of ±0 (the deviation is then ±0, of the other sign in the other order), a constant gradient
     * (m within a few ulps of g), gradients near 1e-20, and ordinary ones.
     */
    @Test
    void theDeviationAsMMinusGGivesTheBitsOfGMinusM() {
        int n = 40;
        int steps = 60;
        float[] w = new float[n];
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            w[i] = (float) random.nextGaussian();
        }
        Param p = ParamStore.of("w", w.clone()).param(0);
        Optimizer opt = Optimizers.create("adabelief(lr=0.05, betas=(0.8, 0.9), eps=1e-12, weight_decay=0.1, rectify=false)",
                java.util.List.of(p));
        float[] m = new float[n];
        float[] s = new float[n];
        float[] grad = new float[n];
        float b1 = 0.8f;
        float rest1 = (float) (1 - 0.8);
        float b2 = 0.9f;
        float rest2 = (float) (1 - 0.9);
        float eps = 1e-12f;
        float shrink = (float) (1 - 0.05 * 0.1);
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < n; i++) {
                int kind = i % 4;
                grad[i] = kind == 0 ? 0.25f : kind == 3 ? (i % 8 == 3 ? 0f : -0f)
                        : (float) (random.nextGaussian() * (kind == 1 ? 1e-20 : 1));
            }
            p.setGrad(grad.clone());
            opt.step();
            float step = (float) -(0.05 / (1 - Math.pow(0.8, t)));
            float root = (float) Math.sqrt(1 - Math.pow(0.9, t));
            for (int i = 0; i < n; i++) {
                float g = grad[i];
                m[i] = Math.fma(g, rest1, m[i] * b1);
                float r = g - m[i];
                s[i] = Math.fma(rest2 * r, r, s[i] * b2) + eps;
                w[i] = w[i] * shrink + step * m[i] / ((float) Math.sqrt(s[i]) / root + eps);
            }
            assertArrayEquals(w, p.values(), "step " + t);
        }
    }

    @Test
    void defaultsAreTheReference020s() {
        assertEquals("adabelief(lr=0.001, betas=(0.9, 0.999), eps=1.0E-16, weight_decay=0.0, amsgrad=false, weight_decouple=true, "
                + "fixed_decay=false, rectify=true, degenerated_to_sgd=true)", Optimizers.parse("adabelief").toString());
    }
}
