package dev.descent.optim.transform;

import dev.descent.optim.Adafactor;
import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_param_block_rms(min_scale)}: scales the update by the parameter's root mean square, so that
 * steps are relative to the parameter's size: u ← max(min_scale, RMS(θ)) u, RMS over the whole parameter (θ
 * before the step). Adafactor's {@code scale_parameter} (Shazeer and Stern 2018, arXiv:1804.04235, section 8);
 * the name and the positional {@code min_scale} (default 10⁻³, Adafactor's ε₂) are Optax's. A scaling: at the
 * end of a chain it folds into the step size. No state.
 */
final class ScaleByParamBlockRms extends Scaling {
    ScaleByParamBlockRms() {
        super("scale_by_param_block_rms", "min_scale", List.of(Hyperparameter.nonNegative("min_scale", 1e-3)));
    }

    @Override
    protected double fold(double c, ParamStep step) {
        int size = step.to() - step.from();
        return c * Math.max(step.real("min_scale"), Math.sqrt(Adafactor.squares(step.params(), step.from(), step.to()) / size));
    }
}
