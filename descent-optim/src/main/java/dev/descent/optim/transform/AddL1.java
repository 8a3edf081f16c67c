package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code add_l1(l1)}: adds a subgradient of the L1 penalty λ‖θ‖₁ to the update, u ← u + λ sign(θ), with
 * sign(0) = 0. A per-group {@code l1} lets a group rule exempt parameters ({@code bias: l1=0}). The
 * subgradient makes weights hover around zero rather than reach it; {@code soft_threshold} is the proximal
 * step that sets them to zero. Positional argument: {@code l1}. No state.
 */
final class AddL1 extends Transform {
    AddL1() {
        super("add_l1", "l1", List.of(Hyperparameter.nonNegative("l1", 0)), null);
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float[] w = step.params();
        float l1 = (float) step.real("l1");
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                u[i] = Math.fma(Math.signum(w[i]), l1, u[i]);
            }
        };
    }
}
