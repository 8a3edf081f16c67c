package dev.descent.optim.schedule;

import java.util.List;

/**
 * The 1cycle policy, as PyTorch's {@code OneCycleLR} (Smith and Topin, 2019, "Super-Convergence: Very Fast
 * Training of Neural Networks Using Large Learning Rates"; the default two phases follow fastai).
 *
 * <pre>
 *   η_initial = max_lr / div_factor,   η_min = η_initial / final_div_factor,   T = total_steps,  p = pct_start
 *   two phases:   k ≤ pT − 1:   η from η_initial to max_lr,  μ from max_momentum to base_momentum
 *                 then to T − 1: η from max_lr to η_min,      μ from base_momentum to max_momentum
 *   three_phase:  k ≤ pT − 1:   η_initial → max_lr;  k ≤ 2pT − 2: max_lr → η_initial;  then η_initial → η_min
 *                 (μ: max → base, base → max, then stays at max)
 *   within a phase from step a to step b, with t = (k − a) / (b − a):
 *     cos:    v = end + (start − end) / 2 · (cos(π t) + 1)        linear:  v = (end − start) · t + start
 * </pre>
 * The value is set outright from {@code max_lr}; the group's own learning rate is ignored. With
 * {@code cycle_momentum} (the default) the schedule sets the optimizer's momentum, or {@code betas[0]} for the
 * Adam family, from step 0 on: PyTorch's constructor overrides whatever momentum the optimizer was given,
 * so step 0 uses {@code max_momentum}.
 *
 * <p>PyTorch quirks kept: the schedule has {@code total_steps + 1} values (k = 0 .. T; at k = T the last phase
 * extrapolates past its end, so with cos the lr rises back from η_min), and stepping past that raises
 * ("Tried to step T + 2 times"); a phase of zero length divides by zero in PyTorch and is an error here.
 *
 * @param maxLr          {@code max_lr}, one value or one per group (required)
 * @param totalSteps     {@code total_steps} (or {@code epochs · steps_per_epoch} in a spec), >= 1
 * @param pctStart       {@code pct_start}, the fraction of the steps spent rising, in [0, 1] (default 0.3)
 * @param annealStrategy {@code anneal_strategy}: {@code cos} (default) or {@code linear}
 * @param cycleMomentum  {@code cycle_momentum} (default true)
 * @param baseMomentum   {@code base_momentum} (default 0.85)
 * @param maxMomentum    {@code max_momentum} (default 0.95)
 * @param divFactor      {@code div_factor} (default 25)
 * @param finalDivFactor {@code final_div_factor} (default 1e4)
 * @param threePhase     {@code three_phase} (default false)
 */
public record OneCycleLr(PerGroup maxLr, long totalSteps, double pctStart, String annealStrategy, boolean cycleMomentum,
                         PerGroup baseMomentum, PerGroup maxMomentum, double divFactor, double finalDivFactor,
                         boolean threePhase) implements ClosedFormSchedule {
    /** Checks the values with PyTorch's rules, and that step 0 does not fall in an empty phase. */
    public OneCycleLr {
        if (maxLr == null) {
            throw new IllegalArgumentException("onecyclelr: max_lr is required, e.g. onecyclelr(max_lr=0.1, total_steps=1000)");
        }
        if (totalSteps < 1) {
            throw Rules.invalid("onecyclelr", "total_steps", totalSteps, "must be a positive integer "
                    + "(PyTorch: \"Expected positive integer total_steps\")");
        }
        if (!(pctStart >= 0 && pctStart <= 1)) {
            throw Rules.invalid("onecyclelr", "pct_start", pctStart, "must be between 0 and 1 "
                    + "(PyTorch: \"Expected float between 0 and 1 pct_start\")");
        }
        if (!List.of("cos", "linear").contains(annealStrategy)) {
            throw Rules.invalid("onecyclelr", "anneal_strategy", annealStrategy, "must be cos or linear");
        }
        if (!(divFactor > 0) || Double.isInfinite(divFactor)) {
            throw Rules.invalid("onecyclelr", "div_factor", divFactor, "must be a finite number > 0");
        }
        if (!(finalDivFactor > 0) || Double.isInfinite(finalDivFactor)) {
            throw Rules.invalid("onecyclelr", "final_div_factor", finalDivFactor, "must be a finite number > 0");
        }
        double firstEnd = pctStart * totalSteps - 1;
        if (firstEnd == 0) {
            throw new IllegalArgumentException("onecyclelr: pct_start=" + Rules.render(pctStart) + " with total_steps="
                    + totalSteps + " makes the rising phase zero steps long (pct_start * total_steps = 1), "
                    + "which divides by zero at step 0 (PyTorch 1.13 raises ZeroDivisionError)");
        }
    }

    /** The 1cycle policy up to {@code maxLr} over {@code totalSteps} with PyTorch's other defaults. */
    public static OneCycleLr of(double maxLr, long totalSteps) {
        return new OneCycleLr(PerGroup.of(maxLr), totalSteps, 0.3, "cos", true, PerGroup.of(0.85), PerGroup.of(0.95),
                25.0, 1e4, false);
    }

    /** The phase k falls in and the fraction t of it done; throws where PyTorch does. */
    private double[] phase(long step) {
        if (step > totalSteps) {
            throw new IllegalStateException("onecyclelr: Tried to step " + (step + 1) + " times. The specified number "
                    + "of total steps is " + totalSteps + " (the schedule has total_steps + 1 values, k = 0.." + totalSteps + ")");
        }
        double[] ends = threePhase
                ? new double[] {pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1}
                : new double[] {pctStart * totalSteps - 1, totalSteps - 1};
        double start = 0;
        for (int i = 0; i < ends.length; i++) {
            if (step <= ends[i] || i == ends.length - 1) {
                if (ends[i] == start) {
                    throw new IllegalStateException("onecyclelr: step " + step + " falls in phase " + i + ", which is zero "
                            + "steps long (pct_start=" + Rules.render(pctStart) + ", total_steps=" + totalSteps
                            + "); PyTorch 1.13 raises ZeroDivisionError here");
                }
                return new double[] {i, (step - start) / (ends[i] - start)};
            }
            start = ends[i];
        }
        throw new AssertionError();
    }

    private double anneal(double start, double end, double pct) {
        if (annealStrategy.equals("cos")) {
            double cosOut = StrictMath.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        double[] p = phase(step);
        double max = maxLr.get(group.index());
        double initial = max / divFactor;
        double min = initial / finalDivFactor;
        double[][] bounds = threePhase
                ? new double[][] {{initial, max}, {max, initial}, {initial, min}}
                : new double[][] {{initial, max}, {max, min}};
        double[] b = bounds[(int) p[0]];
        return anneal(b[0], b[1], p[1]);
    }

    @Override
    public double momentum(long step, GroupBase group) {
        if (!cycleMomentum) {
            return group.momentum();
        }
        double[] p = phase(step);
        double base = baseMomentum.get(group.index());
        double max = maxMomentum.get(group.index());
        double[][] bounds = threePhase
                ? new double[][] {{max, base}, {base, max}, {max, max}}
                : new double[][] {{max, base}, {base, max}};
        double[] b = bounds[(int) p[0]];
        return anneal(b[0], b[1], p[1]);
    }

    @Override
    public boolean cyclesMomentum() {
        return cycleMomentum;
    }

    @Override
    public void check(List<GroupBase> groups) {
        maxLr.check("onecyclelr", "max_lr", groups.size());
        if (cycleMomentum) {
            baseMomentum.check("onecyclelr", "base_momentum", groups.size());
            maxMomentum.check("onecyclelr", "max_momentum", groups.size());
            for (GroupBase g : groups) {
                if (!g.hasMomentum()) {
                    throw new IllegalArgumentException("onecyclelr: cycle_momentum=true needs an optimizer with momentum "
                            + "or betas, but group " + g.index() + " has neither (PyTorch: \"optimizer must support "
                            + "momentum with `cycle_momentum` option enabled\"); set cycle_momentum=false");
                }
            }
        }
    }

    @Override
    public String toString() {
        return Rules.spec("onecyclelr", "max_lr", maxLr, "total_steps", totalSteps, "pct_start", pctStart,
                "anneal_strategy", annealStrategy, "cycle_momentum", cycleMomentum, "base_momentum", baseMomentum,
                "max_momentum", maxMomentum, "div_factor", divFactor, "final_div_factor", finalDivFactor,
                "three_phase", threePhase);
    }
}
