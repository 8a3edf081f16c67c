package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code clip(max_delta)}: clamps every element of the update into [−δ, δ], as PyTorch's
 * {@code clip_grad_value_} ({@link dev.descent.optim.GradClip#clipGradValue}) does to gradients; NaN stays NaN.
 * Positional argument: {@code max_delta}, &gt;= 0. No state.
 */
final class Clip extends Transform {
    Clip() {
        super("clip", "max_delta", List.of(Hyperparameter.requiredReal("max_delta", x -> x >= 0, "must be >= 0")), null);
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float hi = (float) step.real("max_delta");
        float lo = -hi;
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                u[i] = Math.min(Math.max(u[i], lo), hi);
            }
        };
    }
}
