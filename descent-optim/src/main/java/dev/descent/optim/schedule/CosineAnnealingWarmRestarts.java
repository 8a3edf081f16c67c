package dev.descent.optim.schedule;

/**
 * Cosine annealing with warm restarts, as PyTorch's {@code CosineAnnealingWarmRestarts} (Loshchilov and
 * Hutter, 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts").
 *
 * <pre>
 *   η_k = η_min + (η_0 − η_min) · (1 + cos(π T_cur / T_i)) / 2
 * </pre>
 * where the i-th period lasts {@code T_i = T_0 · T_mult^i} steps and {@code T_cur} counts the steps since the
 * last restart: PyTorch adds 1 to {@code T_cur} at each step and, when it reaches {@code T_i}, subtracts
 * {@code T_i} and multiplies {@code T_i} by {@code T_mult}. The learning rate returns to its base value at each
 * restart and never quite reaches {@code eta_min}. The value is set outright (not chained), from the base lr.
 * PyTorch's fractional-epoch form {@code step(epoch + i / iters)} is not offered: descent counts steps.
 *
 * @param t0     {@code T_0}, the first period, >= 1
 * @param tMult  {@code T_mult}, the growth of the period, >= 1 (default 1)
 * @param etaMin {@code eta_min} (default 0)
 */
public record CosineAnnealingWarmRestarts(long t0, long tMult, double etaMin) implements ClosedFormSchedule {
    /** Checks the values with PyTorch's rules. */
    public CosineAnnealingWarmRestarts {
        if (t0 < 1) {
            throw Rules.invalid("cosineannealingwarmrestarts", "T_0", t0, "must be a positive integer "
                    + "(PyTorch: \"Expected positive integer T_0\")");
        }
        if (tMult < 1) {
            throw Rules.invalid("cosineannealingwarmrestarts", "T_mult", tMult, "must be an integer >= 1 "
                    + "(PyTorch: \"Expected integer T_mult >= 1\")");
        }
        Rules.finite("cosineannealingwarmrestarts", "eta_min", etaMin);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        long tCur = step;
        long tI = t0;
        if (tMult == 1) {
            tCur = step % t0;
        } else {
            while (tCur >= tI) {
                tCur -= tI;
                tI *= tMult;
            }
        }
        return etaMin + (group.lr() - etaMin) * (1 + StrictMath.cos(Math.PI * tCur / tI)) / 2;
    }

    @Override
    public String toString() {
        return Rules.spec("cosineannealingwarmrestarts", "T_0", t0, "T_mult", tMult, "eta_min", etaMin);
    }
}
