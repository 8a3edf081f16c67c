package dev.descent.optim.transform;

import dev.descent.optim.Adafactor;
import dev.descent.optim.Hyperparameter;
import dev.descent.optim.Param;

import java.util.List;

/**
 * {@code scale_by_factored_rms(eps, decay_rate, clip_threshold)}: Adafactor's preconditioner, which divides the
 * update by the root of a second moment kept factored for matrices (one accumulator per row and one per column),
 * and clips the result by its RMS.
 *
 * <pre>
 *   β̂₂ = 1 − t^decay_rate
 *   factored (≥ 2 dimensions, over the last two; one pair per leading index):
 *     R ← β̂₂ R + (1 − β̂₂) mean_cols(u² + ε₁),   C ← β̂₂ C + (1 − β̂₂) mean_rows(u² + ε₁),   u ← u / √(R Cᵀ / mean(R))
 *   otherwise:  V ← β̂₂ V + (1 − β̂₂)(u² + ε₁),   u ← u / √V
 *   u ← c u / max(1, RMS(u) / d)                    (d = clip_threshold; c = 1 or a folded step size)
 * </pre>
 * Shazeer and Stern (2018), "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML,
 * arXiv:1804.04235; the names, defaults and arithmetic are {@link Adafactor}'s (Hugging Face's), through its
 * kernels ({@link Adafactor#factor}, {@link Adafactor#sums}). Optax splits this into
 * {@code scale_by_factored_rms} and {@code clip_by_block_rms}; here the clip stays inside because, as in the fused
 * optimizer, RMS(u) is summed from g²/V̂ without forming u, and the clip and the step size c round as one factor.
 * The rest of Adafactor is scalings after it: {@code scale_by_param_block_rms} (the parameter scale),
 * {@code scale_by_relative_step} and {@code scale_by_learning_rate}; its decay is {@code add_decayed_weights}
 * between, which then shrinks by the relative step size times the parameter scale, as Adafactor's does.
 * It reads the whole update of a parameter, so it starts a pass of its own (on the step threads when the
 * parameter is large and not factored).
 * State: {@code exp_avg_sq_row} and {@code exp_avg_sq_col} (leading size × rows and × columns) when factored,
 * else {@code exp_avg_sq}.
 */
final class ScaleByFactoredRms extends Preconditioner {
    ScaleByFactoredRms() {
        super("scale_by_factored_rms", List.of(
                Hyperparameter.nonNegative("eps", 1e-30),
                Hyperparameter.real("decay_rate", -0.8, x -> x <= 0, "must be <= 0 (1 - t^decay_rate must stay in [0, 1))"),
                Hyperparameter.real("clip_threshold", 1.0, x -> x > 0, "must be > 0")), null);
    }

    @Override
    protected boolean readsUpdate() {
        return true;
    }

    @Override
    protected int vectorLength(Param p, String name) {
        return Adafactor.factorLength(p, name);
    }

    @Override
    protected Loop update(ParamStep step, double factor) {
        float[] u = step.update();
        int offset = step.from();
        int size = step.to() - offset;
        double decay = 1 - Math.pow(step.step(), step.real("decay_rate"));
        float b2 = (float) decay;
        float rest2 = (float) (1 - decay);
        float eps1 = (float) step.real("eps");
        int[] f = Adafactor.factoring(step.param());
        if (f == null) {
            float[] v = step.buffer("exp_avg_sq");
            float scale = scale(factor, Adafactor.sums(u, null, v, offset, offset + size, b2, rest2, eps1).updates(), size, step);
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = u[i];
                    float vi = Math.fma(rest2, Math.fma(g, g, eps1), v[i] * b2);
                    v[i] = vi;
                    u[i] = g / (float) Math.sqrt(vi) * scale;
                }
            };
        }
        float[] rf = new float[f[0] * f[1]];
        float[] cf = new float[f[0] * f[2]];
        Adafactor.factor(u, offset, f, eps1, b2, rest2, step.vector("exp_avg_sq_row", rf.length),
                step.vector("exp_avg_sq_col", cf.length), rf, cf);
        float scale = scale(factor, Adafactor.sums(u, null, offset, f, rf, cf).updates(), size, step);
        int rows = f[1];
        int cols = f[2];
        return (from, to) -> {
            for (int row = (from - offset) / cols, end = (to - 1 - offset) / cols; row <= end; row++) {
                int start = offset + row * cols;
                int colBase = row / rows * cols - start;
                float rowScale = rf[row] * scale;
                for (int i = Math.max(from, start), stop = Math.min(to, start + cols); i < stop; i++) {
                    u[i] = u[i] * cf[colBase + i] * rowScale;
                }
            }
        };
    }

    /** c / max(1, RMS(u) / d) in float32, from Σu². */
    private static float scale(double factor, double updateSquares, int size, ParamStep step) {
        return (float) (factor / Math.max(1, Math.sqrt(updateSquares / size) / step.real("clip_threshold")));
    }
}
