package dev.descent.optim.schedule;

/**
 * The inverse-square-root schedule of transformer training: a linear warm-up to the base learning rate over
 * {@code warmup_steps}, then decay with the inverse square root of the step count (Vaswani et al., 2017,
 * "Attention Is All You Need", normalized so that the peak is the base lr, as fairseq's {@code inverse_sqrt}
 * and Hugging Face's {@code get_inverse_sqrt_schedule} do).
 *
 * <pre>
 *   η_k = η_0 · (s + (1 − s) · k / W)     for k < W        (W = warmup_steps, s = start_factor)
 *   η_k = η_0 · sqrt(W / k)               for k ≥ W
 * </pre>
 * Continuous at k = W, where it peaks at η_0. With the default s = 0 the first optimizer step uses lr 0, as in
 * fairseq and Hugging Face.
 *
 * @param warmupSteps {@code warmup_steps}, >= 1
 * @param startFactor {@code start_factor}, the fraction of the base lr at step 0, in [0, 1] (default 0)
 */
public record InverseSqrt(long warmupSteps, double startFactor) implements ClosedFormSchedule {
    /** Checks the values. */
    public InverseSqrt {
        Rules.atLeast("inversesqrt", "warmup_steps", warmupSteps, 1);
        Rules.between("inversesqrt", "start_factor", startFactor, 0, 1);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        if (step < warmupSteps) {
            return group.lr() * (startFactor + (1 - startFactor) * step / warmupSteps);
        }
        return group.lr() * Math.sqrt((double) warmupSteps / step);
    }

    @Override
    public String toString() {
        return Rules.spec("inversesqrt", "warmup_steps", warmupSteps, "start_factor", startFactor);
    }
}
