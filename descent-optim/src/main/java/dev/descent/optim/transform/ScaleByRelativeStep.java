package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code scale_by_relative_step(warmup_init)}: Adafactor's relative step size, which caps the step size of the
 * scalings after it (the learning rate γ) at 1/√t, or, with {@code warmup_init}, replaces it by
 * min(10⁻⁶ t, 1/√t):
 *
 * <pre>
 *   c ← sign(c) · min(|c|, 1/√t)            c ← sign(c) · min(10⁻⁶ t, 1/√t)   with warmup_init
 * </pre>
 * Shazeer and Stern (2018), "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML,
 * arXiv:1804.04235, section 8, as Hugging Face's {@code Adafactor} computes it with its lr as the cap
 * ({@link dev.descent.optim.Adafactor}'s {@code relative_step}). A scaling whose factor depends on the step size
 * after it: put it before {@code scale_by_learning_rate} in a run of scalings that folds (at the end of the chain,
 * or right after a preconditioner); a run that does not fold runs each scaling on its own, and this one then has
 * only c = 1 to cap. Optax writes this as a learning-rate schedule. No state.
 */
final class ScaleByRelativeStep extends Scaling {
    ScaleByRelativeStep() {
        super("scale_by_relative_step", null, List.of(Hyperparameter.flag("warmup_init", false)));
    }

    @Override
    protected double fold(double c, ParamStep step) {
        long t = step.step();
        double cap = step.flag("warmup_init") ? Math.min(1e-6 * t, 1 / Math.sqrt(t)) : Math.min(Math.abs(c), 1 / Math.sqrt(t));
        return Math.copySign(cap, c);
    }
}
