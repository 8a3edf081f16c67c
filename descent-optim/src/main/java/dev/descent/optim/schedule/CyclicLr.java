package dev.descent.optim.schedule;

import java.util.List;

/**
 * Cycles the learning rate between {@code base_lr} and {@code max_lr}, and the momentum inversely between
 * {@code max_momentum} and {@code base_momentum}, as PyTorch's {@code CyclicLR} (Smith, 2017, "Cyclical
 * Learning Rates for Training Neural Networks", WACV; the implementation of bckenstler/CLR).
 *
 * <pre>
 *   c = ⌊1 + k / (up + down)⌋                     the cycle, from 1
 *   x = 1 + k / (up + down) − c                   the position in the cycle, in [0, 1)
 *   s = x / r  if x ≤ r,  else (x − 1) / (r − 1)    r = up / (up + down); s rises 0 → 1, then falls to 0
 *   η_k = base_lr + (max_lr − base_lr) · s · f
 *   μ_k = max_momentum − (max_momentum − base_momentum) · s · f
 *   f = 1 (triangular),  1 / 2^(c − 1) (triangular2),  γ^k (exp_range)
 * </pre>
 * The value is set outright: the group's own learning rate is ignored ({@code base_lr} replaces it).
 * PyTorch's custom {@code scale_fn} / {@code scale_mode} are not offered.
 *
 * <p>With {@code cycle_momentum} (the default) the optimizer needs a {@code momentum} hyperparameter: PyTorch
 * 1.13 raises for the Adam family, whose momentum is {@code betas[0]} (later versions cycle beta1), and so does
 * descent. Note that SGD without momentum has one, equal to 0, so CyclicLR's default switches SGD's momentum on.
 *
 * @param baseLr        {@code base_lr}, the lower bound, one value or one per group (required)
 * @param maxLr         {@code max_lr}, the upper bound, one value or one per group (required)
 * @param stepSizeUp    {@code step_size_up}, steps in the rising half, > 0 (default 2000)
 * @param stepSizeDown  {@code step_size_down}, steps in the falling half, >= 0, or null for {@code step_size_up}
 * @param mode          {@code mode}: {@code triangular} (default), {@code triangular2} or {@code exp_range}
 * @param gamma         {@code gamma} of {@code exp_range} (default 1)
 * @param cycleMomentum {@code cycle_momentum} (default true)
 * @param baseMomentum  {@code base_momentum}, the momentum at the lr's peak (default 0.8)
 * @param maxMomentum   {@code max_momentum}, the momentum at the cycle's start (default 0.9)
 */
public record CyclicLr(PerGroup baseLr, PerGroup maxLr, double stepSizeUp, Double stepSizeDown, String mode,
                       double gamma, boolean cycleMomentum, PerGroup baseMomentum, PerGroup maxMomentum)
        implements ClosedFormSchedule {
    /** The valid modes. */
    public static final List<String> MODES = List.of("triangular", "triangular2", "exp_range");

    /** Checks the values: PyTorch's mode rule, and step sizes for which the formula does not divide by zero. */
    public CyclicLr {
        if (baseLr == null || maxLr == null) {
            throw new IllegalArgumentException("cycliclr: base_lr and max_lr are required, e.g. cycliclr(base_lr=0.001, max_lr=0.01)");
        }
        if (!(stepSizeUp > 0) || Double.isInfinite(stepSizeUp)) {
            throw Rules.invalid("cycliclr", "step_size_up", stepSizeUp, "must be a finite number > 0");
        }
        if (stepSizeDown != null && (!(stepSizeDown >= 0) || Double.isInfinite(stepSizeDown))) {
            throw Rules.invalid("cycliclr", "step_size_down", stepSizeDown, "must be a finite number >= 0");
        }
        if (!MODES.contains(mode)) {
            throw Rules.invalid("cycliclr", "mode", mode, "must be one of triangular, triangular2, exp_range "
                    + "(PyTorch: \"mode is invalid and scale_fn is None\")");
        }
        Rules.finite("cycliclr", "gamma", gamma);
    }

    /** A triangular cycle between {@code baseLr} and {@code maxLr} with PyTorch's other defaults. */
    public static CyclicLr of(double baseLr, double maxLr, double stepSizeUp) {
        return new CyclicLr(PerGroup.of(baseLr), PerGroup.of(maxLr), stepSizeUp, null, "triangular", 1.0, true,
                PerGroup.of(0.8), PerGroup.of(0.9));
    }

    private double totalSize() {
        return stepSizeUp + (stepSizeDown == null ? stepSizeUp : stepSizeDown);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        double base = baseLr.get(group.index());
        double baseHeight = (maxLr.get(group.index()) - base) * scaleFactor(step);
        return base + baseHeight * modeFactor(step);
    }

    @Override
    public double momentum(long step, GroupBase group) {
        if (!cycleMomentum) {
            return group.momentum();
        }
        double max = maxMomentum.get(group.index());
        double baseHeight = (max - baseMomentum.get(group.index())) * scaleFactor(step);
        return max - baseHeight * modeFactor(step);
    }

    private double scaleFactor(long step) {
        double total = totalSize();
        double ratio = stepSizeUp / total;
        double x = 1. + step / total - cycle(step);
        return x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    }

    private double cycle(long step) {
        return Math.floor(1 + step / totalSize());
    }

    private double modeFactor(long step) {
        return switch (mode) {
            case "triangular" -> 1.0;
            case "triangular2" -> 1 / StrictMath.pow(2.0, cycle(step) - 1);
            default -> StrictMath.pow(gamma, step);
        };
    }

    @Override
    public boolean cyclesMomentum() {
        return cycleMomentum;
    }

    @Override
    public void check(List<GroupBase> groups) {
        baseLr.check("cycliclr", "base_lr", groups.size());
        maxLr.check("cycliclr", "max_lr", groups.size());
        if (cycleMomentum) {
            baseMomentum.check("cycliclr", "base_momentum", groups.size());
            maxMomentum.check("cycliclr", "max_momentum", groups.size());
            for (GroupBase g : groups) {
                if (g.momentumKind() != GroupBase.MomentumKind.MOMENTUM) {
                    throw new IllegalArgumentException("cycliclr: cycle_momentum=true needs an optimizer with a momentum "
                            + "hyperparameter, but group " + g.index() + " has " + (g.hasMomentum() ? "betas" : "none")
                            + " (PyTorch 1.13: \"optimizer must support momentum with `cycle_momentum` option enabled\"); "
                            + "set cycle_momentum=false");
                }
            }
        }
    }

    @Override
    public String toString() {
        return Rules.spec("cycliclr", "base_lr", baseLr, "max_lr", maxLr, "step_size_up", stepSizeUp,
                "step_size_down", stepSizeDown, "mode", mode, "gamma", gamma, "cycle_momentum", cycleMomentum,
                "base_momentum", baseMomentum, "max_momentum", maxMomentum);
    }
}
