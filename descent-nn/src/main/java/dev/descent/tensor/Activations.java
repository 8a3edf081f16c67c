package dev.descent.tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Differentiable activation functions, softmax and dropout, with PyTorch's definitions, each recorded on a
 * {@link Tape} with its gradient rule.
 *
 * <p>At a kink the derivative is PyTorch's choice: {@code relu'(0) = 0}, {@code leaky_relu'(0) = slope}.
 */
public final class Activations {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private Activations() {
    }

    /** {@code max(x, 0)}; large tensors are split into one piece per thread of {@link Parallel}. */
    public static Tensor relu(Tape tape, Tensor a) {
        Tensor out = tape.result(a.shape, tape.needsGrad(a));
        float[] x = a.data;
        float[] y = out.data;
        int xo = a.offset;
        int n = a.size;
        int pieces = pieces(n);
        Parallel.run(pieces, t -> reluForward(x, xo, y, piece(n, pieces, t), piece(n, pieces, t + 1)));
        tape.record(out, () -> {
            float[] fresh = tape.freshGrad(a);
            float[] ga = fresh != null ? fresh : tape.grad(a);
            Parallel.run(pieces, t -> reluBackward(y, out.grad, ga, a.gradOffset, piece(n, pieces, t),
                    piece(n, pieces, t + 1), fresh == null));
        });
        return out;
    }

    /** One piece per thread for elementwise work on at least 2^18 floats, else one. */
    private static int pieces(int n) {
        return n < 1 << 18 ? 1 : Parallel.available();
    }

    /** Where piece t of n elements cut into {@code pieces} starts: a multiple of the vector length. */
    private static int piece(int n, int pieces, int t) {
        return t == pieces ? n : (int) ((long) n * t / pieces) / SPECIES.length() * SPECIES.length();
    }

    private static void reluForward(float[] x, int xo, float[] y, int from, int to) {
        int i = from;
        for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xo + i).max(0f).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = Math.max(x[xo + i], 0f);
        }
    }

    /**
     * {@code ga[go + i] (+)= y[i] > 0 ? g[i] : 0} for i in [from, to), with vector masks: the sign of a
     * ReLU's inputs is as good as random, so a branch per element would be mispredicted half the time.
     */
    private static void reluBackward(float[] y, float[] g, float[] ga, int go, int from, int to, boolean add) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = from;
        for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += SPECIES.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.GT, 0f);
            FloatVector d = zero.blend(FloatVector.fromArray(SPECIES, g, i), positive);
            if (add) {
                d = d.add(FloatVector.fromArray(SPECIES, ga, go + i));
            }
            d.intoArray(ga, go + i);
        }
        for (; i < to; i++) {
            float d = y[i] > 0f ? g[i] : 0f;
            ga[go + i] = add ? ga[go + i] + d : d;
        }
    }

    /** {@code x} where positive, {@code slope * x} elsewhere (PyTorch's default slope is 0.01). */
    public static Tensor leakyRelu(Tape tape, Tensor a, float slope) {
        Tensor out = tape.result(a.shape, tape.needsGrad(a));
        float[] x = a.data;
        float[] y = out.data;
        int xo = a.offset;
        int n = a.size;
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            y[i] = v > 0f ? v : slope * v;
        }
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            int go = a.gradOffset;
            float[] g = out.grad;
            for (int i = 0; i < n; i++) {
                ga[go + i] += x[xo + i] > 0f ? g[i] : slope * g[i];
            }
        });
        return out;
    }

    /**
     * The Gaussian error linear unit {@code x * Phi(x)} (Hendrycks and Gimpel, 2016), with the exact
     * normal CDF, or with {@code tanh} the approximation
     * {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, as PyTorch's {@code approximate='tanh'}.
     */
    public static Tensor gelu(Tape tape, Tensor a, boolean tanh) {
        Tensor out = tape.result(a.shape, tape.needsGrad(a));
        float[] x = a.data;
        float[] y = out.data;
        int xo = a.offset;
        int n = a.size;
        for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            y[i] = (float) (tanh
                    ? 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)))
                    : v * normalCdf(v));
        }
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            int go = a.gradOffset;
            float[] g = out.grad;
            for (int i = 0; i < n; i++) {
                double v = x[xo + i];
                double d;
                if (tanh) {
                    double t = Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v));
                    d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
                } else {
                    d = normalCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
                }
                ga[go + i] += (float) (g[i] * d);
            }
        });
        return out;
    }

    /** The hyperbolic tangent. */
    public static Tensor tanh(Tape tape, Tensor a) {
        Tensor out = tape.result(a.shape, tape.needsGrad(a));
        float[] x = a.data;
        float[] y = out.data;
        int xo = a.offset;
        int n = a.size;
        for (int i = 0; i < n; i++) {
            y[i] = (float) Math.tanh(x[xo + i]);
        }
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            int go = a.gradOffset;
            float[] g = out.grad;
            for (int i = 0; i < n; i++) {
                ga[go + i] += g[i] * (1f - y[i] * y[i]);
            }
        });
        return out;
    }

    /** The logistic function {@code 1 / (1 + exp(-x))}, computed without overflow. */
    public static Tensor sigmoid(Tape tape, Tensor a) {
        Tensor out = tape.result(a.shape, tape.needsGrad(a));
        float[] x = a.data;
        float[] y = out.data;
        int xo = a.offset;
        int n = a.size;
        for (int i = 0; i < n; i++) {
            y[i] = sigmoid(x[xo + i]);
        }
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            int go = a.gradOffset;
            float[] g = out.grad;
            for (int i = 0; i < n; i++) {
                ga[go + i] += g[i] * y[i] * (1f - y[i]);
            }
        });
        return out;
    }

    /** The logistic function of one value, without overflow for large negative {@code x}. */
    public static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1 / (1 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }

    /** Softmax over the last dimension: {@code exp(x_i - max) / sum_j exp(x_j - max)}. */
    public static Tensor softmax(Tape tape, Tensor a) {
        return softmax(tape, a, false);
    }

    /** Log-softmax over the last dimension: {@code x_i - max - log(sum_j exp(x_j - max))}. */
    public static Tensor logSoftmax(Tape tape, Tensor a) {
        return softmax(tape, a, true);
    }

    private static Tensor softmax(Tape tape, Tensor a, boolean log) {
        if (a.shape.length == 0) {
            throw new IllegalArgumentException((log ? "log_softmax" : "softmax") + " needs at least one dimension");
        }
        int c = a.shape[a.shape.length - 1];
        int rows = c == 0 ? 0 : a.size / c;
        Tensor out = tape.result(a.shape, tape.needsGrad(a));
        float[] y = out.data;
        for (int r = 0; r < rows; r++) {
            if (log) {
                logSoftmaxRow(a.data, a.offset + r * c, y, r * c, c);
            } else {
                softmaxRow(a.data, a.offset + r * c, y, r * c, c);
            }
        }
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            float[] g = out.grad;
            for (int r = 0; r < rows; r++) {
                int o = r * c;
                int go = a.gradOffset + o;
                if (log) {
                    // d/dx_j = g_j - softmax_j * sum_i g_i
                    float s = 0f;
                    for (int j = 0; j < c; j++) {
                        s += g[o + j];
                    }
                    for (int j = 0; j < c; j++) {
                        ga[go + j] += g[o + j] - (float) Math.exp(y[o + j]) * s;
                    }
                } else {
                    // d/dx_j = y_j (g_j - sum_i g_i y_i)
                    float s = 0f;
                    for (int j = 0; j < c; j++) {
                        s += g[o + j] * y[o + j];
                    }
                    for (int j = 0; j < c; j++) {
                        ga[go + j] += y[o + j] * (g[o + j] - s);
                    }
                }
            }
        });
        return out;
    }

    /**
     * Writes the softmax of the {@code c} values of {@code x} from {@code xo} into {@code y} from
     * {@code yo}, subtracting the maximum first, and returns their log-sum-exp {@code log(sum_j exp(x_j))}.
     * For fused ops such as cross-entropy.
     */
    public static float softmaxRow(float[] x, int xo, float[] y, int yo, int c) {
        float max = rowMax(x, xo, c);
        double sum = 0;
        for (int j = 0; j < c; j++) {
            float e = (float) Math.exp(x[xo + j] - max);
            sum += e;
            y[yo + j] = e;
        }
        float inv = (float) (1 / sum);
        for (int j = 0; j < c; j++) {
            y[yo + j] *= inv;
        }
        return max + (float) Math.log(sum);
    }

    /** Writes the log-softmax of {@code c} values, as {@link #softmaxRow}, and returns their log-sum-exp. */
    static float logSoftmaxRow(float[] x, int xo, float[] y, int yo, int c) {
        float max = rowMax(x, xo, c);
        double sum = 0;
        for (int j = 0; j < c; j++) {
            sum += Math.exp(x[xo + j] - max);
        }
        float logSum = (float) Math.log(sum);
        for (int j = 0; j < c; j++) {
            y[yo + j] = x[xo + j] - max - logSum;
        }
        return max + logSum;
    }

    private static float rowMax(float[] x, int xo, int c) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, x[xo + j]);
        }
        return max == Float.NEGATIVE_INFINITY ? 0f : max;
    }

    /**
     * Inverted dropout (Srivastava et al., 2014, as PyTorch does it): each element is zeroed with
     * probability {@code p} and the survivors are scaled by {@code 1 / (1 - p)}, so the expectation is
     * unchanged. The mask is drawn from a SplitMix64 stream seeded with one {@code rng.nextLong()}, so
     * {@code rng} decides it; the caller applies dropout only in training.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public static Tensor dropout(Tape tape, Tensor a, float p, RandomGenerator rng) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout probability p=" + p + " must be in [0, 1]");
        }
        int n = a.size;
        float[] mask = tape.buffer(n);
        fillDropoutMask(mask, n, p, rng.nextLong());
        Tensor out = tape.result(a.shape, tape.needsGrad(a));
        float[] x = a.data;
        float[] y = out.data;
        int xo = a.offset;
        for (int i = 0; i < n; i++) {
            y[i] = x[xo + i] * mask[i];
        }
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            int go = a.gradOffset;
            float[] g = out.grad;
            for (int i = 0; i < n; i++) {
                ga[go + i] += g[i] * mask[i];
            }
        });
        return out;
    }

    /**
     * Fills {@code mask[0..n)} with 0 (probability {@code p}) or {@code 1 / (1 - p)}, from SplitMix64
     * (Steele, Lea and Flood, 2014) started at {@code seed}: each 64-bit output gives two 24-bit uniforms,
     * compared without a branch against {@code p * 2^24}.
     */
    static void fillDropoutMask(float[] mask, int n, float p, long seed) {
        if (p >= 1f) {
            Arrays.fill(mask, 0, n, 0f);
            return;
        }
        float keep = 1f / (1f - p);
        int threshold = (int) Math.rint(p * (double) (1 << 24));
        long s = seed;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            s += 0x9E3779B97F4A7C15L;
            long z = mix64(s);
            int u = (int) (z >>> 40);
            int v = (int) (z >>> 8) & 0xFFFFFF;
            mask[i] = keep * ((threshold - 1 - u) >>> 31);
            mask[i + 1] = keep * ((threshold - 1 - v) >>> 31);
        }
        if (i < n) {
            int u = (int) (mix64(s + 0x9E3779B97F4A7C15L) >>> 40);
            mask[i] = keep * ((threshold - 1 - u) >>> 31);
        }
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The standard normal CDF {@code Phi(x) = erfc(-x / sqrt 2) / 2}, with the complementary error function
     * of Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7 everywhere), which keeps its
     * relative accuracy in the far negative tail where {@code 1 + erf} would cancel.
     */
    static double normalCdf(double x) {
        double z = Math.abs(x) * SQRT_HALF;
        double t = 1 / (1 + 0.5 * z);
        double tail = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        // tail = erfc(|x| / sqrt 2)
        return x >= 0 ? 1 - 0.5 * tail : 0.5 * tail;
    }
}
