package dev.descent.optim.schedule;

import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rate when a metric stops improving, as PyTorch's {@code ReduceLROnPlateau}; each step
 * takes the metric ({@link Scheduler#step(double)}).
 *
 * <pre>
 *   better(a)   = a < best·(1 − threshold)   (min, rel)      a < best − threshold   (min, abs)
 *               = a > best·(1 + threshold)   (max, rel)      a > best + threshold   (max, abs)
 *   each step:  if better(metric): best ← metric, bad ← 0   else bad ← bad + 1
 *               if cooldown_counter > 0: cooldown_counter ← cooldown_counter − 1, bad ← 0
 *               if bad > patience: for each group, new = max(η·factor, min_lr);
 *                                  η ← new only if η − new > eps;  cooldown_counter ← cooldown, bad ← 0
 * </pre>
 * {@code best} starts at +inf (min) or −inf (max), so the first metric always improves, unless
 * {@code threshold} > 1 in rel-min mode, where {@code inf·(1 − threshold) = −inf} and nothing ever improves
 * (PyTorch's arithmetic, kept). A NaN metric is never better. There is no construction step: step 0 uses the
 * base lr. The learning rate depends on the metrics seen, so the scheduler saves it ({@code lr}) with
 * {@code best}, {@code num_bad_epochs} and {@code cooldown_counter}.
 *
 * @param mode          {@code mode}: {@code min} (default) or {@code max}
 * @param factor        {@code factor}, < 1 (default 0.1)
 * @param patience      {@code patience}, steps without improvement tolerated, >= 0 (default 10)
 * @param threshold     {@code threshold} (default 1e-4)
 * @param thresholdMode {@code threshold_mode}: {@code rel} (default) or {@code abs}
 * @param cooldown      {@code cooldown}, steps to wait after a reduction, >= 0 (default 0)
 * @param minLr         {@code min_lr}, one value or one per group (default 0)
 * @param eps           {@code eps}, the smallest reduction applied (default 1e-8)
 */
public record ReduceLrOnPlateau(String mode, double factor, long patience, double threshold, String thresholdMode,
                                long cooldown, PerGroup minLr, double eps) implements Schedule {
    /** Checks the values with PyTorch's rules (and non-negative counts, which PyTorch does not check). */
    public ReduceLrOnPlateau {
        if (!(factor < 1.0) || Double.isInfinite(factor)) {
            throw Rules.invalid("reducelronplateau", "factor", factor, "must be < 1.0 (PyTorch: \"Factor should be < 1.0.\")");
        }
        if (!List.of("min", "max").contains(mode)) {
            throw Rules.invalid("reducelronplateau", "mode", mode, "must be min or max (PyTorch: \"mode " + mode + " is unknown!\")");
        }
        if (!List.of("rel", "abs").contains(thresholdMode)) {
            throw Rules.invalid("reducelronplateau", "threshold_mode", thresholdMode, "must be rel or abs "
                    + "(PyTorch: \"threshold mode " + thresholdMode + " is unknown!\")");
        }
        Rules.atLeast("reducelronplateau", "patience", patience, 0);
        Rules.atLeast("reducelronplateau", "cooldown", cooldown, 0);
        Rules.finite("reducelronplateau", "threshold", threshold);
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw Rules.invalid("reducelronplateau", "eps", eps, "must be a finite number >= 0");
        }
        if (minLr == null) {
            throw new IllegalArgumentException("reducelronplateau: min_lr must not be null (PyTorch's default is 0)");
        }
    }

    /** PyTorch's defaults: min mode, factor 0.1, patience 10, rel threshold 1e-4, no cooldown, min_lr 0, eps 1e-8. */
    public static ReduceLrOnPlateau defaults() {
        return new ReduceLrOnPlateau("min", 0.1, 10, 1e-4, "rel", 0, PerGroup.of(0), 1e-8);
    }

    @Override
    public boolean needsMetric() {
        return true;
    }

    @Override
    public void check(List<GroupBase> groups) {
        if (minLr.perGroup() && minLr.values().size() != groups.size()) {
            throw Rules.invalid("reducelronplateau", "min_lr", minLr.values(), "expected " + groups.size()
                    + " min_lrs, got " + minLr.values().size() + "; give one value, or one per parameter group");
        }
    }

    @Override
    public Scheduler start(List<GroupBase> groups) {
        return new Runtime(this, groups);
    }

    boolean isBetter(double a, double best) {
        if (mode.equals("min")) {
            return thresholdMode.equals("rel") ? a < best * (1. - threshold) : a < best - threshold;
        }
        return thresholdMode.equals("rel") ? a > best * (threshold + 1.) : a > best + threshold;
    }

    @Override
    public String toString() {
        return Rules.spec("reducelronplateau", "mode", mode, "factor", factor, "patience", patience, "threshold", threshold,
                "threshold_mode", thresholdMode, "cooldown", cooldown, "min_lr", minLr, "eps", eps);
    }

    /** The explicit state: the learning rates, the best metric, and the two counters. */
    private static final class Runtime extends Scheduler {
        private final ReduceLrOnPlateau plateau;
        private double[] lr;
        private double best;
        private long numBadEpochs;
        private long cooldownCounter;

        Runtime(ReduceLrOnPlateau plateau, List<GroupBase> groups) {
            super(plateau, groups);
            this.plateau = plateau;
            this.lr = groups.stream().mapToDouble(GroupBase::lr).toArray();
            this.best = plateau.mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }

        @Override
        public double lr(int group) {
            return lr[group];
        }

        @Override
        public double momentum(int group) {
            return groups().get(group).momentum();
        }

        @Override
        void advance(double current) {
            if (plateau.isBetter(current, best)) {
                best = current;
                numBadEpochs = 0;
            } else {
                numBadEpochs++;
            }
            if (cooldownCounter > 0) {
                cooldownCounter--;
                numBadEpochs = 0;
            }
            if (numBadEpochs > plateau.patience) {
                for (int g = 0; g < lr.length; g++) {
                    double old = lr[g];
                    double reduced = Math.max(old * plateau.factor, plateau.minLr.get(g));
                    if (old - reduced > plateau.eps) {
                        lr[g] = reduced;
                    }
                }
                cooldownCounter = plateau.cooldown;
                numBadEpochs = 0;
            }
            step++;
        }

        @Override
        void save(Map<String, Object> state) {
            state.put("lr", lr.clone());
            state.put("best", best);
            state.put("num_bad_epochs", numBadEpochs);
            state.put("cooldown_counter", cooldownCounter);
        }

        @Override
        void restore(Map<String, Object> state) {
            long k = savedStep(state);
            double[] savedLr = StateValues.doubles(state, "lr", lr.length);
            double savedBest = StateValues.real(state, "best");
            long bad = StateValues.integer(state, "num_bad_epochs");
            long cool = StateValues.integer(state, "cooldown_counter");
            lr = savedLr;
            best = savedBest;
            numBadEpochs = bad;
            cooldownCounter = cool;
            step = k;
        }
    }
}
