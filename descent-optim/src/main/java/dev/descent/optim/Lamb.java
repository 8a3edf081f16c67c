package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * LAMB (Layer-wise Adaptive Moments for Batch training): the Adam direction plus decoupled weight decay,
 * rescaled per parameter (per layer) so that its norm is the learning rate times the weights' norm.
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   r ← m̂ / (√v̂ + ε) + λθ          m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) when bias_correction, else m, v
 *   q ← ‖θ‖ / ‖r‖                    (1 when either norm is 0; norms over the whole parameter)
 *   θ ← θ − γ q r
 * </pre>
 * You et al. (2020), "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes", ICLR,
 * arXiv:1904.00962, Algorithm 2 with φ the identity; the reference is the authors' TensorFlow Addons
 * {@code LAMB} ({@code tensorflow_addons/optimizers/lamb.py}), whose rule this is, with the names and
 * defaults of timm's {@code Lamb} ({@code lr=1e-3}, {@code betas=(0.9, 0.999)}, {@code eps=1e-6},
 * {@code bias_correction=true}; {@code weight_decay} defaults to 0 as in the reference). The popular
 * cybertronai/pytorch-lamb differs: no bias correction and ‖θ‖ clamped at 10.
 *
 * <p>q needs ‖r‖ before any element moves, so the step makes two passes over each parameter. The first updates
 * both moments, computes r, keeps it in a scratch array (not state: 4 bytes per parameter of memory) and sums
 * ‖θ‖² and ‖r‖² ({@link SquareSums}: in fixed pieces on all step threads, vectorized lanes); it runs in blocks
 * that stay in the L1 cache between the moments and the sums. The second applies r, right after the first
 * for a parameter large enough to split across threads, while its arrays are still in the last-level cache
 * ({@code StepThreads.applyWhileCached}). That counts 44 bytes per parameter (16 more than Adam), fewer reach
 * memory. State: {@code exp_avg}, {@code exp_avg_sq}, {@code step}.
 */
public final class Lamb extends Optimizer {
    /** The description, with the defaults named above. */
    public static final Algorithm ALGORITHM = Algorithm.of("lamb", List.of(
            Hyperparameter.nonNegative("lr", 1e-3),
            Hyperparameter.betas(0.9, 0.999),
            Hyperparameter.nonNegative("eps", 1e-6),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("bias_correction", true)),
            null, Lamb::new);

    /** Builds LAMB over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Lamb(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    /** Its update makes a pass over the parameter for a norm first: over many small parameters, on all threads. */
    @Override
    protected boolean updatesIndependently() {
        return true;
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] m = state.buffer("exp_avg");
        float[] v = state.buffer("exp_avg_sq");
        double beta1 = group.real("betas", 0);
        double beta2 = group.real("betas", 1);
        long t = state.step();
        boolean correct = group.flag("bias_correction");
        float decay = (float) group.real("weight_decay");
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) group.real("eps");
        float correction1 = correct ? (float) (1 / (1 - Math.pow(beta1, t))) : 1f;
        float correction2 = correct ? (float) Math.sqrt(1 - Math.pow(beta2, t)) : 1f;
        float[] u = state.scratch("update");
        double[] norms2 = StepThreads.sum(2, p.offset(), p.offset() + p.size(), (from, to, out) -> {
            SquareSums weights = SquareSums.lanes(0);
            SquareSums updates = SquareSums.lanes(1);
            // Block by block, so that the sums read w and u from the L1 cache right after the moments wrote u.
            for (int start = from; start < to; start += SquareSums.BLOCK) {
                int end = to - start > SquareSums.BLOCK ? start + SquareSums.BLOCK : to;
                moments(w, grad, m, v, u, b1, rest1, b2, rest2, decay, correction1, correction2, eps, start, end);
                weights.add(w, start, end);
                updates.add(u, start, end);
            }
            out[0] += weights.take(w, from, to);
            out[1] += updates.take(u, from, to);
        });
        double weightNorm2 = norms2[0];
        double updateNorm2 = norms2[1];
        double trust = weightNorm2 > 0 && updateNorm2 > 0 ? Math.sqrt(weightNorm2) / Math.sqrt(updateNorm2) : 1;
        float negStep = (float) (-group.lr() * trust);
        Kernel apply = (from, to) -> {
            for (int i = from; i < to; i++) {
                w[i] = Math.fma(u[i], negStep, w[i]);
            }
        };
        return StepThreads.applyWhileCached(apply, p.offset(), p.offset() + p.size());
    }

    /** Both moments and r = m̂ / (√v̂ + ε) + λθ into {@code u} over {@code [from, to)}: one loop C2 vectorizes. */
    private static void moments(float[] w, float[] grad, float[] m, float[] v, float[] u, float b1, float rest1, float b2,
                                float rest2, float decay, float correction1, float correction2, float eps, int from, int to) {
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float mi = Math.fma(g, rest1, m[i] * b1);
            float vi = Math.fma(rest2 * g, g, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            u[i] = Math.fma(w[i], decay, mi * correction1 / ((float) Math.sqrt(vi) / correction2 + eps));
        }
    }
}
