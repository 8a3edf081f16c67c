package dev.descent.optim.schedule;

import java.util.List;

/**
 * Decays the learning rate by {@code gamma} at each milestone, as PyTorch's {@code MultiStepLR}.
 *
 * <pre>
 *   η_k = η_0 · γ^(number of milestones ≤ k)
 * </pre>
 * As in PyTorch, the milestones are a multiset: they need not be sorted, a milestone listed twice decays
 * twice ({@code γ²} at once), and a milestone 0 applies at construction. The scheduler follows the chainable
 * form, {@code η_k = γ^(times k is listed) · η_(k-1)}.
 *
 * @param milestones {@code milestones}, step counts >= 0
 * @param gamma      {@code gamma}, the factor (default 0.1)
 */
public record MultiStepLr(List<Long> milestones, double gamma) implements ClosedFormSchedule {
    /** Checks the values. PyTorch accepts negative milestones, which are never reached; descent rejects them. */
    public MultiStepLr {
        milestones = List.copyOf(milestones);
        for (long m : milestones) {
            if (m < 0) {
                throw Rules.invalid("multisteplr", "milestones", milestones, "every milestone must be >= 0, but "
                        + m + " is not (it would never be reached)");
            }
        }
        Rules.finite("multisteplr", "gamma", gamma);
    }

    @Override
    public double closedForm(long step, GroupBase group) {
        long passed = milestones.stream().filter(m -> m <= step).count();
        return group.lr() * StrictMath.pow(gamma, passed);
    }

    @Override
    public double chain(long step, double lr, GroupBase group) {
        long times = milestones.stream().filter(m -> m == step).count();
        return times == 0 ? lr : lr * StrictMath.pow(gamma, times);
    }

    @Override
    public String toString() {
        return Rules.spec("multisteplr", "milestones", milestones, "gamma", gamma);
    }
}
