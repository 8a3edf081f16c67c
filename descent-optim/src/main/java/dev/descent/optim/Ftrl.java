package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * FTRL-Proximal (Follow The Regularized Leader): per-coordinate adaptive steps whose weights are solved in
 * closed form from a running linear term, so that the L1 penalty sets weights to exactly zero.
 *
 * <pre>
 *   g' ← g + 2 λ₂ₛ θ                               (l2_shrinkage, enters z only)
 *   n' ← n + g²
 *   σ  ← (n'^(−p) − n^(−p)) / γ                    (p = learning_rate_power; −0.5 gives (√n' − √n)/γ)
 *   z  ← z + g' − σ θ
 *   θ  ← 0                                          if |z| ≤ λ₁
 *   θ  ← −(z − sign(z) λ₁) / ((β + n'^(−p))/γ + 2λ₂)   otherwise
 *   n  ← n'
 * </pre>
 * McMahan et al. (2013), "Ad Click Prediction: a View from the Trenches", KDD, Algorithm 1 (with
 * α = γ, the general power p, and the shrinkage-type L2 of TensorFlow). The reference is TensorFlow/Keras's
 * {@code tf.keras.optimizers.Ftrl} (the {@code ApplyFtrlV2} kernel), whose names and defaults these are:
 * {@code learning_rate_power=-0.5}, {@code initial_accumulator_value=0.1},
 * {@code l1_regularization_strength=0}, {@code l2_regularization_strength=0},
 * {@code l2_shrinkage_regularization_strength=0}, {@code beta=0}. Keras's {@code learning_rate} is
 * {@code lr} here (default 0.001), the name every descent optimizer and schedule uses. n starts at
 * {@code initial_accumulator_value}, z at zero. State: {@code accumulator} (n), {@code linear} (z),
 * {@code step}.
 */
public final class Ftrl extends Optimizer {
    /** The description, with Keras's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("ftrl", List.of(
            Hyperparameter.real("lr", 1e-3, x -> x > 0, "must be > 0 (FTRL divides by it)"),
            Hyperparameter.real("learning_rate_power", -0.5, x -> x <= 0, "must be <= 0"),
            Hyperparameter.nonNegative("initial_accumulator_value", 0.1),
            Hyperparameter.nonNegative("l1_regularization_strength", 0),
            Hyperparameter.nonNegative("l2_regularization_strength", 0),
            Hyperparameter.nonNegative("l2_shrinkage_regularization_strength", 0),
            Hyperparameter.nonNegative("beta", 0)),
            null, Ftrl::new);

    /** Builds FTRL over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Ftrl(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] n = state.buffer("accumulator", (float) group.real("initial_accumulator_value"));
        float[] z = state.buffer("linear");
        Coefficients k = coefficients(group.lr(), group.real("learning_rate_power"), group.real("l1_regularization_strength"),
                group.real("l2_regularization_strength"), group.real("l2_shrinkage_regularization_strength"), group.real("beta"));
        return (from, to) -> step(grad, w, n, z, from, to, k);
    }

    /** One step's constants in float32 (see {@link #coefficients}). */
    public record Coefficients(boolean sqrt, double power, float invLr, float l1, float twoL2, float twoShrink, float betaOverLr) {
    }

    /** The constants of a step at learning rate {@code lr} with the given strengths (Keras's names, in its order). */
    public static Coefficients coefficients(double lr, double learningRatePower, double l1, double l2, double l2Shrinkage,
                                            double beta) {
        double power = -learningRatePower;
        return new Coefficients(power == 0.5, power, (float) (1 / lr), (float) l1, (float) (2 * l2), (float) (2 * l2Shrinkage),
                (float) (beta / lr));
    }

    /**
     * The FTRL-Proximal step over elements {@code [from, to)}: gradient {@code g}, weights {@code w} (solved for, in
     * place), accumulator {@code n} and linear term {@code z}. The kernel this optimizer and the chain's
     * {@code scale_by_ftrl} share.
     */
    public static void step(float[] g, float[] w, float[] n, float[] z, int from, int to, Coefficients k) {
        boolean sqrt = k.sqrt();
        double power = k.power();
        float invLr = k.invLr();
        float l1 = k.l1();
        float twoL2 = k.twoL2();
        float twoShrink = k.twoShrink();
        float betaOverLr = k.betaOverLr();
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float ni = n[i];
            float nNew = Math.fma(gi, gi, ni);
            float rootOld = sqrt ? (float) Math.sqrt(ni) : (float) Math.pow(ni, power);
            float rootNew = sqrt ? (float) Math.sqrt(nNew) : (float) Math.pow(nNew, power);
            float sigma = (rootNew - rootOld) * invLr;
            float zi = z[i] + Math.fma(twoShrink, w[i], gi) - sigma * w[i];
            float quadratic = Math.fma(rootNew, invLr, betaOverLr) + twoL2;
            float clipped = Math.max(-l1, Math.min(l1, zi));
            n[i] = nNew;
            z[i] = zi;
            w[i] = (clipped - zi) / quadratic;
        }
    }
}
