package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.descent.optim.PaperOptimizerTest.G;
import static dev.descent.optim.PaperOptimizerTest.THETA0;
import static dev.descent.optim.PaperOptimizerTest.assertClose;
import static dev.descent.optim.PaperOptimizerTest.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Muon against Keller Jordan's rule written out in double: momentum, the quintic Newton-Schulz iteration and
 * the shape scale on matrices (wide, tall and 3-D), the AdamW backup on vectors, the AdamW learning rate
 * following the schedule of lr, and convergence on a matrix least-squares problem.
 */
class MuonTest {
    /**
     * Float32 rounding is amplified by the iteration (its slope at zero is 3.4445), hence 2e-5 and not 1e-6, and
     * relative to at least 0.01 since θ(1 − γλ) − γX cancels to nearly zero in some elements.
     */
    private static final double NS_TOLERANCE = 2e-5;

    private static void assertNear(String what, double[][] expected, double[][] actual) {
        double[][] e = new double[expected.length][];
        double[][] a = new double[expected.length][];
        for (int t = 0; t < expected.length; t++) {
            e[t] = new double[expected[t].length];
            a[t] = new double[expected[t].length];
            for (int i = 0; i < e[t].length; i++) {
                // Shift both away from zero so that the relative error is taken against at least 0.01.
                double shift = Math.abs(expected[t][i]) >= 0.01 ? 0 : expected[t][i] < 0 ? -0.01 : 0.01;
                e[t][i] = expected[t][i] + shift;
                a[t][i] = actual[t][i] + shift;
            }
        }
        assertClose(what, e, a, NS_TOLERANCE);
    }

    /** The quintic iteration in double on a rows × cols matrix. */
    private static double[][] newtonSchulz(double[][] g, int steps) {
        boolean tall = g.length > g[0].length;
        double[][] x = tall ? transpose(g) : copy(g);
        double norm = 0;
        for (double[] row : x) {
            for (double v : row) {
                norm += v * v;
            }
        }
        norm = Math.sqrt(norm) + 1e-7;
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= norm;
            }
        }
        for (int s = 0; s < steps; s++) {
            double[][] a = times(x, transpose(x));
            double[][] aa = times(a, a);
            double[][] b = new double[a.length][a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a.length; j++) {
                    b[i][j] = -4.7750 * a[i][j] + 2.0315 * aa[i][j];
                }
            }
            double[][] bx = times(b, x);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x[0].length; j++) {
                    x[i][j] = 3.4445 * x[i][j] + bx[i][j];
                }
            }
        }
        return tall ? transpose(x) : x;
    }

    private static double[][] times(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[] values(int n, double phase) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.sin(1.3 * i + phase) * (1 + 0.5 * (i % 3));
        }
        return x;
    }

    /** Three Muon steps in double on a parameter of {@code shape}, viewed as shape[0] × the rest. */
    private static double[][] muon(int[] shape, double lr, double mu, boolean nesterov, int nsSteps, double wd) {
        int n = Param.sizeOf(shape);
        int rows = shape[0];
        int cols = n / rows;
        double[] theta = values(n, 0.9);
        double[] b = new double[n];
        double[][] out = new double[3][];
        for (int t = 0; t < 3; t++) {
            double[] g = values(n, 0.4 + 1.1 * t);
            double[][] d = new double[rows][cols];
            for (int e = 0; e < n; e++) {
                b[e] = mu * b[e] + g[e];
                d[e / cols][e % cols] = nesterov ? g[e] + mu * b[e] : b[e];
            }
            double[][] o = newtonSchulz(d, nsSteps);
            double scale = Math.sqrt(Math.max(1, (double) rows / cols));
            for (int e = 0; e < n; e++) {
                theta[e] = theta[e] * (1 - lr * wd) - lr * scale * o[e / cols][e % cols];
            }
            out[t] = theta.clone();
        }
        return out;
    }

    private static double[][] run(String spec, int[] shape) {
        int n = Param.sizeOf(shape);
        ParamStore store = ParamStore.builder().add("w", shape).build();
        Param p = store.param(0);
        p.set(floats(values(n, 0.9)));
        Optimizer opt = Optimizers.create(spec, store.params());
        double[][] out = new double[3][n];
        for (int t = 0; t < 3; t++) {
            p.setGrad(floats(values(n, 0.4 + 1.1 * t)));
            opt.step();
            for (int i = 0; i < n; i++) {
                out[t][i] = p.values()[i];
            }
        }
        return out;
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    @Test
    void matricesTakeOrthogonalizedMomentumSteps() {
        for (int[] shape : new int[][] {{2, 3}, {5, 3}, {4, 4}, {3, 2, 2}}) {
            String what = java.util.Arrays.toString(shape);
            assertNear("muon on " + what, muon(shape, 0.02, 0.95, true, 5, 0), run("muon", shape));
            assertNear("muon without nesterov on " + what, muon(shape, 0.1, 0.9, false, 3, 0.5),
                    run("muon(lr=0.1, momentum=0.9, nesterov=false, ns_steps=3, weight_decay=0.5)", shape));
        }
    }

    @Test
    void aTallMatrixIsTheTransposeOfTheWideOne() {
        float[] d = floats(values(12, 0.3));
        float[] dT = new float[12];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                dT[j * 3 + i] = d[i * 4 + j];
            }
        }
        float[] wide = Muon.orthogonalize(d, 3, 4, 5);
        float[] tall = Muon.orthogonalize(dT, 4, 3, 5);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(wide[i * 4 + j], tall[j * 3 + i], "element " + i + "," + j);
            }
        }
    }

    /** Five steps bring every singular value of a random matrix into the iteration's band around 1. */
    @Test
    void theIterationNearlyOrthogonalizes() {
        SplittableRandom random = new SplittableRandom(3);
        float[] d = new float[4 * 9];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) random.nextGaussian();
        }
        double[][] x = new double[4][9];
        float[] o = Muon.orthogonalize(d, 4, 9, 5);
        for (int i = 0; i < o.length; i++) {
            x[i / 9][i % 9] = o[i];
        }
        double[][] xxt = times(x, transpose(x));
        // The eigenvalues of X Xᵀ are the squared singular values: power iteration on X Xᵀ gives the largest,
        // on 2.5 I − X Xᵀ (positive definite when they are all below 2.5) the smallest.
        double largest = largestEigenvalue(xxt, 0);
        double smallest = 2.5 - largestEigenvalue(xxt, 2.5);
        assertTrue(largest < 1.5 * 1.5 && smallest > 0.5 * 0.5, "singular values in [" + Math.sqrt(smallest) + ", "
                + Math.sqrt(largest) + "]");
    }

    /** The largest eigenvalue of the symmetric matrix shift·I − a (a itself when shift is 0), by power iteration. */
    private static double largestEigenvalue(double[][] a, double shift) {
        int n = a.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = shift == 0 ? a[i][j] : (i == j ? shift : 0) - a[i][j];
            }
        }
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1);
        double lambda = 0;
        for (int k = 0; k < 2000; k++) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    w[i] += m[i][j] * v[j];
                }
            }
            double norm = 0;
            for (double x : w) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            lambda = norm;
            for (int i = 0; i < n; i++) {
                v[i] = w[i] / norm;
            }
        }
        return lambda;
    }

    /** The AdamW backup of the reference: ε added to the uncorrected √v, the corrections folded into the step. */
    private static double[][] adamw(double[] lrs, double b1, double b2, double eps, double wd) {
        double[] theta = THETA0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        double[][] expected = new double[3][];
        for (int t = 1; t <= 3; t++) {
            double lr = lrs[t - 1];
            for (int i = 0; i < 3; i++) {
                double g = G[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                theta[i] = theta[i] * (1 - lr * wd)
                        - lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)) * m[i] / (Math.sqrt(v[i]) + eps);
            }
            expected[t - 1] = theta.clone();
        }
        return expected;
    }

    @Test
    void vectorsTakeAdamWSteps() {
        check("muon", adamw(new double[] {3e-4, 3e-4, 3e-4}, 0.95, 0.95, 1e-8, 0));
        check("muon(adamw_lr=0.1, adamw_betas=(0.8, 0.9), adamw_eps=0.01, weight_decay=0.2)",
                adamw(new double[] {0.1, 0.1, 0.1}, 0.8, 0.9, 0.01, 0.2));
    }

    @Test
    void useMuonFalseSendsAMatrixToAdamW() {
        ParamStore store = ParamStore.builder().add("w", 1, 3).build();
        Param p = store.param(0);
        p.set(floats(THETA0));
        Optimizer opt = Optimizers.parse("muon(adamw_lr=0.1, adamw_betas=(0.8, 0.9), adamw_eps=0.01)").build(store.params(), "w: use_muon=false");
        double[][] actual = new double[3][3];
        for (int t = 0; t < 3; t++) {
            p.setGrad(floats(G[t]));
            opt.step();
            for (int i = 0; i < 3; i++) {
                actual[t][i] = p.values()[i];
            }
        }
        assertClose("use_muon=false", adamw(new double[] {0.1, 0.1, 0.1}, 0.8, 0.9, 0.01, 0), actual, 1e-6);
    }

    /** As the reference's adamw_lr_ratio: halving lr halves the AdamW learning rate, also after save and load. */
    @Test
    void theAdamWLearningRateFollowsTheScheduleOfLr() {
        Param p = ParamStore.of("w", floats(THETA0)).param(0);
        Optimizer opt = Optimizers.create("muon(lr=0.04, adamw_lr=0.1, adamw_betas=(0.8, 0.9), adamw_eps=0.01)", List.of(p));
        p.setGrad(floats(G[0]));
        opt.step();
        opt.setLr(0.02);
        StateDict saved = opt.stateDict();
        assertEquals(0.04, saved.paramGroups().get(0).get("initial_lr"));
        Param q = ParamStore.of("w", p.values()).param(0);
        Optimizer fresh = Optimizers.create("muon", List.of(q));
        fresh.loadStateDict(saved);
        double[][] actual = new double[3][3];
        actual[0] = toDoubles(p.values());
        for (int t = 1; t < 3; t++) {
            q.setGrad(floats(G[t]));
            fresh.step();
            actual[t] = toDoubles(q.values());
        }
        assertClose("after halving lr", adamw(new double[] {0.1, 0.05, 0.05}, 0.8, 0.9, 0.01, 0), actual, 1e-6);
    }

    private static double[] toDoubles(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /**
     * Least squares over a 4 × 6 matrix: ½/N ‖(W − W*) X‖² for N = 32 seeded samples, from W = 0. Muon's step has
     * spectral norm lr whatever the gradient's scale, so 300 steps at lr 0.02 must take the loss down a hundredfold.
     */
    @Test
    void convergesOnMatrixLeastSquares() {
        SplittableRandom random = new SplittableRandom(11);
        int rows = 4;
        int cols = 6;
        int samples = 32;
        double[][] target = new double[rows][cols];
        double[][] x = new double[cols][samples];
        for (double[] row : target) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian();
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < samples; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] covariance = times(x, transpose(x));
        ParamStore store = ParamStore.builder().add("w", rows, cols).build();
        Param p = store.param(0);
        Optimizer opt = Optimizers.create("muon(lr=0.02)", store.params());
        double start = leastSquares(p, target, covariance, samples, null);
        double end = start;
        float[] g = new float[rows * cols];
        for (int s = 0; s < 300; s++) {
            end = leastSquares(p, target, covariance, samples, g);
            p.setGrad(g);
            opt.step();
        }
        end = leastSquares(p, target, covariance, samples, null);
        assertTrue(end < start / 100, "loss " + start + " -> " + end);
    }

    /** The loss ½/N tr(E C Eᵀ) with E = W − W* and C = X Xᵀ; writes the gradient E C / N when {@code g} is given. */
    private static double leastSquares(Param p, double[][] target, double[][] covariance, int samples, float[] g) {
        int rows = target.length;
        int cols = target[0].length;
        float[] w = p.values();
        double[][] e = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                e[i][j] = w[i * cols + j] - target[i][j];
            }
        }
        double[][] ec = times(e, covariance);
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                loss += 0.5 * e[i][j] * ec[i][j] / samples;
                if (g != null) {
                    g[i * cols + j] = (float) (ec[i][j] / samples);
                }
            }
        }
        return loss;
    }

    @Test
    void aMatrixKeepsOnlyTheMomentumBuffer() {
        ParamStore store = ParamStore.builder().add("w", 3, 4).add("b", 4).build();
        Optimizer opt = Optimizers.create("muon", store.params());
        store.markGradsDefined();
        store.grad()[0] = 1f;
        opt.step();
        assertEquals(List.of("step", "momentum_buffer"), List.copyOf(opt.stateDict().state().get(0).keySet()));
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(opt.stateDict().state().get(1).keySet()));
        assertArrayEquals(new float[4], store.param("b").values(), "a zero gradient leaves the AdamW part still");
    }
}
