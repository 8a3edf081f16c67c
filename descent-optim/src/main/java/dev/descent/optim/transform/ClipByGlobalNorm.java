package dev.descent.optim.transform;

import dev.descent.optim.GradClip;
import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code clip_by_global_norm(max_norm)}: scales the update of every parameter together so that their joint
 * 2-norm is at most about {@code max_norm}, with PyTorch's {@code clip_grad_norm_} arithmetic
 * ({@link dev.descent.optim.GradClip#clipGradNorm}):
 *
 * <pre>
 *   n ← √(Σ u_i²)        over every element of every parameter taking the step, in double
 *   c ← min(1, max_norm / (n + 1e-6))     in float32
 *   u ← c u
 * </pre>
 * Placed first it clips the gradients exactly as {@code clipGradNorm} before a fused optimizer does; elsewhere
 * it clips whatever the update has become. Optax scales only when n &gt; max_norm and without the 1e-6.
 * Pascanu, Mikolov and Bengio (2013), "On the difficulty of training recurrent neural networks", ICML.
 * Positional argument: {@code max_norm}, &gt;= 0. No state.
 */
final class ClipByGlobalNorm extends Transform {
    ClipByGlobalNorm() {
        super("clip_by_global_norm", "max_norm", List.of(Hyperparameter.requiredReal("max_norm", x -> x >= 0, "must be >= 0")), null);
    }

    @Override
    protected boolean readsUpdate() {
        return true;
    }

    @Override
    protected double measure(ParamStep step) {
        return GradClip.sumPow(step.update(), step.from(), step.param().size(), 2);
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float coef = GradClip.clipCoefficient(Math.sqrt(step.total()), step.real("max_norm"));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                u[i] *= coef;
            }
        };
    }
}
