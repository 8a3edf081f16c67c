package dev.descent.optim;

import java.util.List;

/**
 * Gradient clipping, in place on the gradients of parameters: by the global norm
 * ({@code clipGradNorm}, PyTorch's {@code torch.nn.utils.clip_grad_norm_}), by value
 * ({@code clipGradValue}, PyTorch's {@code clip_grad_value_}), and adaptive gradient clipping
 * ({@code adaptiveClipGrad}, unit-wise, as timm's {@code adaptive_clip_grad}).
 *
 * <p>Every method skips parameters whose gradient is undefined ({@link Param#hasGrad()} false), as PyTorch
 * skips {@code p.grad is None}. Norms are accumulated in double; the gradients are scaled in float32 by a
 * float32 factor, as PyTorch does. PyTorch accumulates its norms in float32 in its own reduction order, so
 * a returned norm agrees with PyTorch's to about 1e-7 relative, not bit for bit; PyTorch's float32 sums of
 * {@code |g|^p} can also underflow or overflow where these do not.
 */
public final class GradClip {
    /** The floor on a unit's parameter norm in {@link #adaptiveClipGrad}: Brock et al. and timm use 1e-3. */
    public static final double AGC_EPS = 1e-3;

    private GradClip() {
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} with the 2-norm and no error on a non-finite norm. */
    public static double clipGradNorm(List<Param> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} with no error on a non-finite norm (PyTorch's default). */
    public static double clipGradNorm(List<Param> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their {@code normType}-norm, taken as if they were one
     * concatenated vector, is at most about {@code maxNorm}; PyTorch's {@code clip_grad_norm_}.
     *
     * <pre>
     *   n ← (Σ |g_i|^p)^(1/p)    over every element of every gradient (p = ∞: max |g_i|)
     *   c ← min(1, maxNorm / (n + 1e-6))      in float32
     *   g ← c g                               every gradient, even when c = 1
     * </pre>
     *
     * @param normType         p &gt; 0, or {@code Double.POSITIVE_INFINITY} for the largest absolute value
     * @param errorIfNonfinite throw instead of scaling when the norm is NaN or infinite (PyTorch's
     *                         {@code error_if_nonfinite}); otherwise such a norm scales every gradient by
     *                         NaN or 0, as in PyTorch
     * @return the total norm before clipping; 0 when no parameter has a gradient
     * @throws IllegalArgumentException if maxNorm is negative or NaN, or normType is not &gt; 0
     * @throws ArithmeticException      with {@code errorIfNonfinite}, if the norm is NaN or infinite; the
     *                                  gradients are left unchanged
     */
    public static double clipGradNorm(List<Param> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        check("clipGradNorm", "maxNorm", maxNorm, maxNorm >= 0, "must be >= 0");
        check("clipGradNorm", "normType", normType, normType > 0, "must be > 0 (Infinity for the max norm)");
        double total = gradNorm(params, normType);
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new ArithmeticException(nonFiniteMessage(params, normType, total));
        }
        float coef = clipCoefficient(total, maxNorm);
        for (Param p : params) {
            if (p.hasGrad()) {
                scale(p.store().grad(), p.offset(), p.size(), coef);
            }
        }
        return total;
    }

    /**
     * The {@code normType}-norm of all defined gradients taken together, as {@link #clipGradNorm} computes
     * it, without changing them; 0 when no parameter has a gradient.
     */
    public static double gradNorm(List<Param> params, double normType) {
        check("gradNorm", "normType", normType, normType > 0, "must be > 0 (Infinity for the max norm)");
        if (normType == Double.POSITIVE_INFINITY) {
            double max = 0;
            for (Param p : params) {
                if (p.hasGrad()) {
                    max = Math.max(max, maxAbs(p.store().grad(), p.offset(), p.size()));
                }
            }
            return max;
        }
        double sum = 0;
        for (Param p : params) {
            if (p.hasGrad()) {
                sum += sumPow(p.store().grad(), p.offset(), p.size(), normType);
            }
        }
        return root(sum, normType);
    }

    /**
     * Clamps every gradient element into [−clipValue, clipValue]; PyTorch's {@code clip_grad_value_}.
     * NaN elements stay NaN.
     *
     * @throws IllegalArgumentException if clipValue is negative or NaN
     */
    public static void clipGradValue(List<Param> params, double clipValue) {
        check("clipGradValue", "clipValue", clipValue, clipValue >= 0, "must be >= 0");
        float hi = (float) clipValue;
        float lo = -hi;
        for (Param p : params) {
            if (p.hasGrad()) {
                float[] g = p.store().grad();
                for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) {
                    g[i] = Math.min(Math.max(g[i], lo), hi);
                }
            }
        }
    }

    /** {@link #adaptiveClipGrad(List, double, double)} with eps = {@link #AGC_EPS}. */
    public static void adaptiveClipGrad(List<Param> params, double clipFactor) {
        adaptiveClipGrad(params, clipFactor, AGC_EPS);
    }

    /**
     * Adaptive gradient clipping (AGC), unit-wise: Brock, De, Smith and Simonyan (2021), "High-Performance
     * Large-Scale Image Recognition Without Normalization", ICML, section 4.1; as timm's
     * {@code adaptive_clip_grad} (the PyTorch port of the authors' JAX reference, with the output unit on
     * the first axis). A unit is a row: for a parameter of shape [d0, d1, ...] with two or more dimensions,
     * each of the d0 slices of d1·d2·... elements (one output unit of a linear or convolution weight); a
     * parameter of zero or one dimension (a bias, a gain) is one unit. For each unit, with W its weights and
     * G its gradient, 2-norms:
     *
     * <pre>
     *   m ← λ · max(‖W‖, eps)                (λ = clipFactor)
     *   G ← G · m / max(‖G‖, 1e-6)   if ‖G‖ ≥ m;   G unchanged otherwise
     * </pre>
     * The norms are accumulated in double and rounded to float32; m, the ratio and the product are float32,
     * as in timm. A NaN gradient norm scales its unit by NaN.
     *
     * @param clipFactor λ, the largest allowed ratio of gradient norm to weight norm (the paper uses 0.01
     *                   to 0.16, smaller for larger batches)
     * @param eps        the floor on ‖W‖, so that units whose weights start at zero can still move
     * @throws IllegalArgumentException if clipFactor or eps is negative or NaN
     */
    public static void adaptiveClipGrad(List<Param> params, double clipFactor, double eps) {
        check("adaptiveClipGrad", "clipFactor", clipFactor, clipFactor >= 0, "must be >= 0");
        check("adaptiveClipGrad", "eps", eps, eps >= 0, "must be >= 0");
        float factor = (float) clipFactor;
        float floor = (float) eps;
        for (Param p : params) {
            if (!p.hasGrad() || p.size() == 0) {
                continue;
            }
            int[] shape = p.shape();
            int units = shape.length <= 1 ? 1 : shape[0];
            int unit = p.size() / units;
            float[] w = p.store().data();
            float[] g = p.store().grad();
            for (int u = 0, at = p.offset(); u < units; u++, at += unit) {
                float limit = Math.max((float) Math.sqrt(sumPow(w, at, unit, 2)), floor) * factor;
                float gradNorm = (float) Math.sqrt(sumPow(g, at, unit, 2));
                if (!(gradNorm < limit)) {
                    scale(g, at, unit, limit / Math.max(gradNorm, 1e-6f));
                }
            }
        }
    }

    /**
     * The float32 factor PyTorch 1.13 multiplies the gradients by: {@code clamp(max_norm / (n + 1e-6), max=1)}
     * on a float32 n, where {@code x / t} is {@code t.reciprocal() * x} in torch.
     */
    public static float clipCoefficient(double totalNorm, double maxNorm) {
        float coef = (1f / ((float) totalNorm + 1e-6f)) * (float) maxNorm;
        return Math.min(coef, 1f);
    }

    /** Σ |a_i|^p over a[from, from + n), in double; exact squares and absolute values for p = 2 and 1. */
    public static double sumPow(float[] a, int from, int n, double p) {
        int end = from + n;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        if (p == 2) {
            for (; i + 3 < end; i += 4) {
                double x0 = a[i], x1 = a[i + 1], x2 = a[i + 2], x3 = a[i + 3];
                s0 += x0 * x0;
                s1 += x1 * x1;
                s2 += x2 * x2;
                s3 += x3 * x3;
            }
            for (; i < end; i++) {
                double x = a[i];
                s0 += x * x;
            }
        } else if (p == 1) {
            for (; i + 3 < end; i += 4) {
                s0 += Math.abs(a[i]);
                s1 += Math.abs(a[i + 1]);
                s2 += Math.abs(a[i + 2]);
                s3 += Math.abs(a[i + 3]);
            }
            for (; i < end; i++) {
                s0 += Math.abs(a[i]);
            }
        } else {
            for (; i < end; i++) {
                s0 += Math.pow(Math.abs(a[i]), p);
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double root(double sum, double p) {
        return p == 2 ? Math.sqrt(sum) : p == 1 ? sum : Math.pow(sum, 1 / p);
    }

    /** max |a_i| over a[from, from + n); NaN if any element is NaN. */
    private static double maxAbs(float[] a, int from, int n) {
        float max = 0;
        for (int i = from, end = from + n; i < end; i++) {
            max = Math.max(max, Math.abs(a[i]));
        }
        return max;
    }

    private static void scale(float[] a, int from, int n, float c) {
        for (int i = from, end = from + n; i < end; i++) {
            a[i] *= c;
        }
    }

    private static String nonFiniteMessage(List<Param> params, double normType, double total) {
        String where = "";
        for (Param p : params) {
            if (p.hasGrad()) {
                float[] g = p.store().grad();
                for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) {
                    if (!Float.isFinite(g[i])) {
                        where = " (the gradient of parameter '" + p.name() + "' holds " + g[i] + " at element "
                                + (i - p.offset()) + ")";
                        break;
                    }
                }
                if (!where.isEmpty()) {
                    break;
                }
            }
        }
        if (where.isEmpty()) {
            where = " (every gradient element is finite: the sum of |g|^" + normType + " overflowed)";
        }
        return "clipGradNorm: the total norm of order " + normType + " of the gradients is "
                + (Double.isNaN(total) ? "NaN" : "infinite") + where + ", so it cannot be clipped."
                + " Find where the loss or the gradients stop being finite (a lower learning rate, loss scaling"
                + " or skipping this step may help), or pass errorIfNonfinite=false to scale the gradients by the"
                + " non-finite norm anyway, as PyTorch does by default.";
    }

    private static void check(String method, String name, double value, boolean ok, String rule) {
        if (!ok) {  // NaN fails every rule
            throw new IllegalArgumentException(method + ": " + name + "=" + value + " is invalid: " + rule
                    + (Double.isNaN(value) ? " (not NaN)" : ""));
        }
    }
}
