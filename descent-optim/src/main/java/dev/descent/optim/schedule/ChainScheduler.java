package dev.descent.optim.schedule;

import java.util.List;
import java.util.Map;

/**
 * Runs one chainable schedule, or several in turn (ChainedScheduler), the way PyTorch does: each step maps the
 * lr a group holds through every link's chainable form; the momentum is that of the last link that cycles it.
 *
 * <p>When every link is {@link Chainable#replayable() replayable} the saved state is the step count alone
 * and {@link #restore} recomputes the lr by running the same recursion from step 0, so a resumed run gets the
 * same bits as an uninterrupted one. Otherwise (MultiplicativeLR inside) the lr is saved too.
 */
final class ChainScheduler extends Scheduler {
    private final List<Chainable> links;
    private final boolean replayable;
    private final Chainable momentumLink;
    private double[] lr;

    ChainScheduler(Schedule schedule, List<? extends Chainable> links, List<GroupBase> groups) {
        super(schedule, groups);
        this.links = List.copyOf(links);
        this.replayable = this.links.stream().allMatch(Chainable::replayable);
        Chainable cycling = null;
        for (Chainable c : this.links) {
            if (c.cyclesMomentum()) {
                cycling = c;
            }
        }
        this.momentumLink = cycling;
        this.lr = first();
    }

    /** The lr after the construction step: every link's step-0 map applied to the base lr. */
    private double[] first() {
        double[] out = new double[groups().size()];
        for (int g = 0; g < out.length; g++) {
            out[g] = apply(0, groups().get(g).lr(), groups().get(g));
        }
        return out;
    }

    private double apply(long k, double value, GroupBase group) {
        for (Chainable c : links) {
            value = c.chain(k, value, group);
        }
        return value;
    }

    @Override
    public double lr(int group) {
        return lr[group];
    }

    @Override
    public double momentum(int group) {
        GroupBase g = groups().get(group);
        return momentumLink == null ? g.momentum() : momentumLink.momentum(step, g);
    }

    @Override
    void advance(double metric) {
        double[] next = new double[lr.length];
        for (int g = 0; g < next.length; g++) {
            next[g] = apply(step + 1, lr[g], groups().get(g));
        }
        lr = next;
        step++;
    }

    @Override
    void save(Map<String, Object> state) {
        if (!replayable) {
            state.put("lr", lr.clone());
        }
    }

    @Override
    void restore(Map<String, Object> state) {
        long k = savedStep(state);
        if (replayable) {
            step = 0;
            lr = first();
            while (step < k) {
                advance(Double.NaN);
            }
        } else {
            lr = StateValues.doubles(state, "lr", lr.length);
            step = k;
        }
    }
}
