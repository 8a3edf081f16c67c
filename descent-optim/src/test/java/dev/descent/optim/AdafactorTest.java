package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static dev.descent.optim.PaperOptimizerTest.assertClose;
import static dev.descent.optim.ParamStoreTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adafactor against Shazeer and Stern 2018 as Hugging Face's Adafactor computes it, written out in double for
 * three steps: unfactored on a vector, factored on a matrix and on a stack of matrices (3-D), with the
 * relative step, parameter scaling, update clipping, β₁ and weight decay.
 */
class AdafactorTest {
    /** The rule in double on a parameter of {@code shape}; returns θ after each of {@code steps} steps. */
    private static double[][] reference(int[] shape, double[] theta0, double[][] grads, double lr, double eps1, double eps2,
                                        double clip, double decayRate, double beta1, double wd, boolean scale,
                                        boolean relative, boolean warmupInit) {
        int size = theta0.length;
        boolean factored = shape.length >= 2;
        int cols = shape[shape.length - 1];
        int rows = factored ? shape[shape.length - 2] : 1;
        int batch = size / (rows * cols);
        double[] theta = theta0.clone();
        double[] v = new double[size];
        double[] r = new double[batch * rows];
        double[] c = new double[batch * cols];
        double[] m = new double[size];
        double[][] out = new double[grads.length][];
        for (int t = 1; t <= grads.length; t++) {
            double[] g = grads[t - 1];
            double rms = 0;
            for (double x : theta) {
                rms += x * x;
            }
            rms = Math.sqrt(rms / size);
            double rho = relative ? Math.min(warmupInit ? 1e-6 * t : lr, 1 / Math.sqrt(t)) : lr;
            double alpha = (scale ? Math.max(eps2, rms) : 1) * rho;
            double b = 1 - Math.pow(t, decayRate);
            double[] u = new double[size];
            if (factored) {
                for (int k = 0; k < batch; k++) {
                    double rMean = 0;
                    for (int i = 0; i < rows; i++) {
                        double mean = 0;
                        for (int j = 0; j < cols; j++) {
                            double x = g[(k * rows + i) * cols + j];
                            mean += (x * x + eps1) / cols;
                        }
                        r[k * rows + i] = b * r[k * rows + i] + (1 - b) * mean;
                        rMean += r[k * rows + i] / rows;
                    }
                    for (int j = 0; j < cols; j++) {
                        double mean = 0;
                        for (int i = 0; i < rows; i++) {
                            double x = g[(k * rows + i) * cols + j];
                            mean += (x * x + eps1) / rows;
                        }
                        c[k * cols + j] = b * c[k * cols + j] + (1 - b) * mean;
                    }
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < cols; j++) {
                            int e = (k * rows + i) * cols + j;
                            u[e] = g[e] / Math.sqrt(r[k * rows + i] * c[k * cols + j] / rMean);
                        }
                    }
                }
            } else {
                for (int e = 0; e < size; e++) {
                    v[e] = b * v[e] + (1 - b) * (g[e] * g[e] + eps1);
                    u[e] = g[e] / Math.sqrt(v[e]);
                }
            }
            double rmsU = 0;
            for (double x : u) {
                rmsU += x * x;
            }
            rmsU = Math.sqrt(rmsU / size);
            double divide = Math.max(1, rmsU / clip);
            for (int e = 0; e < size; e++) {
                double step = u[e] / divide * alpha;
                if (beta1 > 0) {
                    m[e] = beta1 * m[e] + (1 - beta1) * step;
                    step = m[e];
                }
                theta[e] = theta[e] - wd * alpha * theta[e] - step;
            }
            out[t - 1] = theta.clone();
        }
        return out;
    }

    private static double[][] run(String spec, int[] shape, double[] theta0, double[][] grads) {
        ParamStore store = ParamStore.builder().add("w", shape).build();
        Param p = store.param(0);
        float[] init = new float[theta0.length];
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) theta0[i];
        }
        p.set(init);
        Optimizer opt = Optimizers.create(spec, store.params());
        double[][] out = new double[grads.length][theta0.length];
        for (int t = 0; t < grads.length; t++) {
            float[] g = new float[theta0.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) grads[t][i];
            }
            p.setGrad(g);
            opt.step();
            for (int i = 0; i < g.length; i++) {
                out[t][i] = p.values()[i];
            }
        }
        return out;
    }

    /** Deterministic values of both signs and varied sizes, so rows and columns differ. */
    private static double[] values(int n, double phase) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.sin(1.7 * i + phase) * (1 + 0.3 * (i % 4));
        }
        return x;
    }

    private static double[][] grads(int n) {
        return new double[][] {values(n, 0.4), values(n, 1.9), values(n, -2.2)};
    }

    private static void check(String spec, int[] shape, double lr, double eps1, double eps2, double clip, double decayRate,
                              double beta1, double wd, boolean scale, boolean relative, boolean warmupInit) {
        int n = Param.sizeOf(shape);
        double[] theta0 = values(n, 0.9);
        double[][] grads = grads(n);
        double[][] expected = reference(shape, theta0, grads, lr, eps1, eps2, clip, decayRate, beta1, wd, scale, relative, warmupInit);
        assertClose(spec + " on shape " + Arrays.toString(shape), expected, run(spec, shape, theta0, grads), 1e-6);
    }

    @Test
    void theDefaultsFollowTheReference() {
        for (int[] shape : new int[][] {{5}, {2, 3}, {2, 2, 3}, {2, 17, 4}}) {
            check("adafactor", shape, 1e-2, 1e-30, 1e-3, 1, -0.8, 0, 0, true, true, false);
        }
    }

    @Test
    void theOptionsFollowTheReference() {
        for (int[] shape : new int[][] {{5}, {3, 4}, {2, 3, 2}}) {
            check("adafactor(lr=0.05, relative_step=false, scale_parameter=false, clip_threshold=0.5, beta1=0.8, weight_decay=0.1)",
                    shape, 0.05, 1e-30, 1e-3, 0.5, -0.8, 0.8, 0.1, false, false, false);
            check("adafactor(warmup_init=true, eps=(1e-3, 0.5), decay_rate=-0.5)",
                    shape, 1e-2, 1e-3, 0.5, 1, -0.5, 0, 0, true, true, true);
            check("adafactor(lr=0.3, clip_threshold=0.4)", shape, 0.3, 1e-30, 1e-3, 0.4, -0.8, 0, 0, true, true, false);
        }
    }

    @Test
    void aMatrixKeepsRowAndColumnAccumulatorsOnly() {
        ParamStore store = ParamStore.builder().add("w", 3, 4).add("stack", 2, 3, 5).add("bias", 4).build();
        Optimizer opt = Optimizers.create("adafactor", store.params());
        store.markGradsDefined();
        for (int i = 0; i < store.size(); i++) {
            store.grad()[i] = (float) Math.cos(i);
        }
        opt.step();
        Map<Integer, Map<String, Object>> state = opt.stateDict().state();
        assertEquals(3, ((float[]) state.get(0).get("exp_avg_sq_row")).length);
        assertEquals(4, ((float[]) state.get(0).get("exp_avg_sq_col")).length);
        assertFalse(state.get(0).containsKey("exp_avg_sq"));
        assertFalse(state.get(0).containsKey("exp_avg"), "beta1=0 keeps no first moment");
        assertEquals(2 * 3, ((float[]) state.get(1).get("exp_avg_sq_row")).length);
        assertEquals(2 * 5, ((float[]) state.get(1).get("exp_avg_sq_col")).length);
        assertEquals(4, ((float[]) state.get(2).get("exp_avg_sq")).length);
        assertFalse(state.get(2).containsKey("exp_avg_sq_row"));
    }

    @Test
    void aRowAccumulatorOfTheWrongLengthIsRejectedOnLoad() {
        ParamStore store = ParamStore.builder().add("w", 3, 4).build();
        Optimizer opt = Optimizers.create("adafactor", store.params());
        store.markGradsDefined();
        opt.step();
        StateDict saved = opt.stateDict();
        Map<Integer, Map<String, Object>> state = saved.state();
        state.get(0).put("exp_avg_sq_row", new float[12]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.loadStateDict(new StateDict(saved.paramGroups(), state)));
        assertMentions(e, "'exp_avg_sq_row'", "'w'", "12 elements", "3 are expected", "[3, 4]");
    }

    /** Σθ² and Σg²/V' of the sum kernel, in exact arithmetic. */
    private static double[] exactSums(float[] w, float[] g, float[] v, int from, int to, float b2, float rest2, float eps1) {
        BigDecimal weights = BigDecimal.ZERO;
        BigDecimal updates = BigDecimal.ZERO;
        for (int i = from; i < to; i++) {
            weights = weights.add(new BigDecimal((double) w[i] * w[i]));
            float g2 = g[i] * g[i];
            updates = updates.add(new BigDecimal(g2 / Math.fma(rest2, g2 + eps1, v[i] * b2)));
        }
        return new double[] {weights.doubleValue(), updates.doubleValue()};
    }

    @Test
    void theRmsSumsAreAccurateAndTheSameOnOneThreadOrSeveral() {
        int n = 3 * StepThreads.SUM_CHUNK + 12_345;
        float[] w = new float[n + 7];
        float[] g = new float[n + 7];
        float[] v = new float[n + 7];
        Random random = new Random(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * (i % 5 == 0 ? 1e3 : 1e-2));
            g[i] = (float) random.nextGaussian();
            v[i] = (float) Math.abs(random.nextGaussian());
        }
        int saved = StepThreads.threshold;
        try {
            StepThreads.threshold = Integer.MAX_VALUE;
            Adafactor.Sums alone = Adafactor.sums(g, w, v, 3, 3 + n, 0.9f, 0.1f, 1e-30f);
            StepThreads.threshold = 1;
            Adafactor.Sums split = Adafactor.sums(g, w, v, 3, 3 + n, 0.9f, 0.1f, 1e-30f);
            assertEquals(alone, split, "the sums must not depend on the number of threads");
            assertEquals(alone.weights(), Adafactor.squares(w, 3, 3 + n), 0, "squares is the weights of sums");
            double[] exact = exactSums(w, g, v, 3, 3 + n, 0.9f, 0.1f, 1e-30f);
            // The bound the javadoc of sums proves: each lane adds 32 positive terms in float, then compensated.
            assertEquals(exact[0], alone.weights(), exact[0] * 32 * 0x1p-24);
            assertEquals(exact[1], alone.updates(), exact[1] * 32 * 0x1p-24);
        } finally {
            StepThreads.threshold = saved;
        }
    }

    @Test
    void theRmsSumsKeepDoubleRangeForHugeTinyAndNonFiniteParameters() {
        int n = StepThreads.SUM_CHUNK + 999;
        float[] g = new float[n];
        float[] v = new float[n];
        Arrays.fill(g, 1);
        Arrays.fill(v, 1);
        for (float scale : new float[] {1e30f, 1e-30f, 0}) {
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                w[i] = scale * (1 + i % 3);
            }
            double[] exact = exactSums(w, g, v, 0, n, 0.5f, 0.5f, 0);
            assertEquals(exact[0], Adafactor.squares(w, 0, n), exact[0] * 1e-11, "scale " + scale + " (summed again in double)");
        }
        float[] w = new float[n];
        w[n - 5] = Float.NaN;
        assertTrue(Double.isNaN(Adafactor.squares(w, 0, n)));
        g[17] = Float.POSITIVE_INFINITY;
        assertTrue(Double.isNaN(Adafactor.sums(g, null, v, 0, n, 0.5f, 0.5f, 0).updates()), "inf/inf as in the scalar sum");
    }

    @Test
    void theFactoredRmsSumIsAccurateAndKeepsDoubleRange() {
        int[] f = {2, 19, 13};
        int n = f[0] * f[1] * f[2];
        float[] g = new float[n + 5];
        float[] rowFactor = new float[f[0] * f[1]];
        float[] colFactor = new float[f[0] * f[2]];
        Random random = new Random(11);
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < rowFactor.length; i++) {
            rowFactor[i] = (float) (0.5 + random.nextDouble());
        }
        for (int j = 0; j < colFactor.length; j++) {
            colFactor[j] = (float) (0.5 + random.nextDouble());
        }
        for (float scale : new float[] {1, 1e25f, 1e-30f}) {
            float[] scaled = g.clone();
            BigDecimal exact = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                scaled[5 + i] *= scale;
                int row = i / f[2];
                float u = scaled[5 + i] * colFactor[row / f[1] * f[2] + i % f[2]] * rowFactor[row];
                exact = exact.add(new BigDecimal((double) u * u));
            }
            double sum = Adafactor.sums(scaled, null, 5, f, rowFactor, colFactor).updates();
            // Within the 32 float roundings per lane of the float lanes, or summed again in double out of float range.
            assertEquals(exact.doubleValue(), sum, exact.doubleValue() * 32 * 0x1p-24, "scale " + scale);
        }
    }

    @Test
    void theFactorsFollowTheirDoubleSums() {
        int[] f = {2, 21, 37};
        int rows = f[1];
        int cols = f[2];
        float[] g = new float[3 + f[0] * rows * cols];
        Random random = new Random(5);
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (random.nextGaussian() * (i % 7 == 0 ? 10 : 0.1));
        }
        float[] r = new float[f[0] * rows];
        float[] c = new float[f[0] * cols];
        Arrays.fill(r, 0.25f);
        Arrays.fill(c, 0.5f);
        float[] rowFactor = new float[r.length];
        float[] colFactor = new float[c.length];
        float b2 = 0.75f;
        float rest2 = 0.25f;
        float eps1 = 1e-3f;
        Adafactor.factor(g, 3, f, eps1, b2, rest2, r, c, rowFactor, colFactor);
        for (int b = 0; b < f[0]; b++) {
            double[] rowMean = new double[rows];
            double[] colMean = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    float x = g[3 + (b * rows + i) * cols + j];
                    double term = Math.fma(x, x, eps1);
                    rowMean[i] += term / cols;
                    colMean[j] += term / rows;
                }
            }
            double rSum = 0;
            for (int i = 0; i < rows; i++) {
                double expected = 0.75 * 0.25 + 0.25 * rowMean[i];
                assertEquals(expected, r[b * rows + i], expected * 1e-6, "R of row " + i + " of matrix " + b);
                rSum += expected;
            }
            for (int i = 0; i < rows; i++) {
                double expected = 1 / Math.sqrt(r[b * rows + i] / (rSum / rows));
                assertEquals(expected, rowFactor[b * rows + i], expected * 1e-6, "row factor " + i + " of matrix " + b);
            }
            for (int j = 0; j < cols; j++) {
                double expected = 0.75 * 0.5 + 0.25 * colMean[j];
                // The column sums are float for up to 32 rows (32 roundings, about 1.9e-6), then double.
                assertEquals(expected, c[b * cols + j], expected * 2e-6, "C of column " + j + " of matrix " + b);
                assertEquals(1 / Math.sqrt(expected), colFactor[b * cols + j], 2e-6 / Math.sqrt(expected), "column factor " + j);
            }
        }
    }
}
