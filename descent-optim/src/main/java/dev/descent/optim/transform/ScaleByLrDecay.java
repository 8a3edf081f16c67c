package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_lr_decay(lr_decay)}: PyTorch Adagrad's inverse-time decay of the step, by the parameter's
 * step count t, u ← u / (1 + (t − 1) η), so that step 1 is undecayed. Positional argument: {@code lr_decay},
 * &gt;= 0. No state beyond the step count.
 */
final class ScaleByLrDecay extends Scaling {
    ScaleByLrDecay() {
        super("scale_by_lr_decay", "lr_decay", List.of(Hyperparameter.nonNegative("lr_decay", 0)));
    }

    @Override
    protected double fold(double c, ParamStep step) {
        return c / (1 + (step.step() - 1) * step.real("lr_decay"));
    }
}
