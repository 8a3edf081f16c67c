package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The values a schedule starts from for one parameter group: its base learning rate and, when the optimizer
 * has one, its base momentum, as PyTorch's schedulers read them from a group's {@code initial_lr},
 * {@code momentum} and {@code betas}.
 *
 * <p>The momentum is SGD's or RMSprop's {@code momentum} ({@link MomentumKind#MOMENTUM}), or
 * {@code betas[0]} of the Adam family ({@link MomentumKind#BETA1}); it is {@code NaN} for optimizers that
 * have neither ({@link MomentumKind#NONE}). Which kind matters: PyTorch 1.13's CyclicLR cycles only
 * {@code momentum}, OneCycleLR either.
 *
 * @param index        the group's position among the optimizer's groups (per-group settings are looked up by it)
 * @param lr           the base learning rate
 * @param momentum     the base momentum or beta1, or NaN when the kind is NONE
 * @param momentumKind which hyperparameter the momentum is
 */
public record GroupBase(int index, double lr, double momentum, MomentumKind momentumKind) {
    /** Which of an optimizer's hyperparameters a schedule cycles as "momentum". */
    public enum MomentumKind {
        /** The optimizer has no momentum (Adagrad, Adadelta, plain schedules of weight decay...). */
        NONE,
        /** A {@code momentum} hyperparameter (SGD, RMSprop). */
        MOMENTUM,
        /** {@code betas[0]} (Adam, AdamW, NAdam, ...). */
        BETA1
    }

    /** Checks the values: a finite lr, a finite momentum exactly when the kind is not NONE. */
    public GroupBase {
        if (index < 0) {
            throw new IllegalArgumentException("group index=" + index + " is invalid: must be >= 0");
        }
        if (!Double.isFinite(lr)) {
            throw new IllegalArgumentException("group " + index + ": base lr=" + lr + " is invalid: must be finite");
        }
        if (momentumKind == null) {
            throw new IllegalArgumentException("group " + index + ": momentumKind must not be null (use NONE)");
        }
        if (momentumKind == MomentumKind.NONE ? !Double.isNaN(momentum) : !Double.isFinite(momentum)) {
            throw new IllegalArgumentException("group " + index + ": base momentum=" + momentum + " is invalid: must be "
                    + (momentumKind == MomentumKind.NONE ? "NaN when the group has no momentum" : "finite"));
        }
    }

    /** A group without momentum. */
    public static GroupBase of(int index, double lr) {
        return new GroupBase(index, lr, Double.NaN, MomentumKind.NONE);
    }

    /** A group with an SGD-style {@code momentum}. */
    public static GroupBase withMomentum(int index, double lr, double momentum) {
        return new GroupBase(index, lr, momentum, MomentumKind.MOMENTUM);
    }

    /** A group of an Adam-family optimizer, whose momentum is {@code betas[0]}. */
    public static GroupBase withBeta1(int index, double lr, double beta1) {
        return new GroupBase(index, lr, beta1, MomentumKind.BETA1);
    }

    /**
     * The values group {@code index} holds now: {@code lr}, and {@code momentum} or {@code betas[0]}.
     * Read them before the schedule changes them (a scheduler's saved state carries the bases, so a resumed
     * run gets them back from there).
     */
    public static GroupBase of(int index, ParamGroup group) {
        double lr = group.lr();
        if (group.values().containsKey("momentum")) {
            return withMomentum(index, lr, group.real("momentum"));
        }
        if (group.values().containsKey("betas")) {
            return withBeta1(index, lr, group.real("betas", 0));
        }
        return of(index, lr);
    }

    /** The bases of every group of {@code optimizer}, as {@link #of(int, ParamGroup)} reads them. */
    public static List<GroupBase> of(Optimizer optimizer) {
        List<GroupBase> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            out.add(of(out.size(), g));
        }
        return out;
    }

    /** Whether the group has a momentum (the kind is not NONE). */
    public boolean hasMomentum() {
        return momentumKind != MomentumKind.NONE;
    }

    /** The same group with another base lr. */
    public GroupBase withLr(double newLr) {
        return new GroupBase(index, newLr, momentum, momentumKind);
    }
}
