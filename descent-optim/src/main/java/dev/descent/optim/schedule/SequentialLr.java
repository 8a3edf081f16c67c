package dev.descent.optim.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs schedules one after another, switching at the milestones, as PyTorch's {@code SequentialLR}:
 * {@code sequentiallr(linearlr(start_factor=0.1, total_iters=5), cosineannealinglr(T_max=55), milestones=[5])}.
 *
 * <pre>
 *   η_k = schedule_i at its own step (k − m_i)    for m_i ≤ k < m_(i+1)      (m_0 = 0)
 * </pre>
 * At a milestone PyTorch calls {@code step(0)} on the next schedule, which uses its closed form, so each
 * schedule restarts from the groups' base values at its own step 0 (not from where the previous one left
 * the lr). MultiplicativeLR has no closed form and continues from the current lr instead, as in PyTorch.
 *
 * <p>Momentum: while a momentum-cycling schedule (CyclicLR, OneCycleLR) is active it sets the momentum;
 * afterwards the momentum stays where it left it. Before any has been active, it is the step-0 momentum of
 * the last such schedule in the list: PyTorch constructs every child before the SequentialLR, each cycling
 * constructor sets the group's momentum, and SequentialLR resets the lr but not the momentum.
 *
 * <p>Nesting: each nested schedule keeps its own clock. PyTorch 1.13 gets this wrong: it undoes the
 * construction step of its direct children only, so a nested SequentialLR's first child is stepped twice,
 * from the wrong lr (28 times the intended lr at step 0 in the golden test's example); PyTorch 2's
 * {@code recursive_undo} fixes the lr but leaves the nested SequentialLR one step ahead, so it switches one
 * step early. A nested SequentialLR or ChainedScheduler after the first position raises in PyTorch (its
 * {@code step()} takes no epoch); here it starts at its milestone like any other schedule.
 *
 * <p>ReduceLROnPlateau cannot be a child (PyTorch 2 rejects it too): use {@link LinearWarmup} to warm up to it.
 *
 * @param schedulers the schedules, at least one
 * @param milestones the steps at which the next schedule takes over: one fewer than the schedules, >= 1,
 *                   strictly increasing
 */
public record SequentialLr(List<Schedule> schedulers, List<Long> milestones) implements Schedule {
    /** Checks PyTorch's rule (one milestone fewer than schedules) and that the milestones increase from 1. */
    public SequentialLr {
        schedulers = List.copyOf(schedulers);
        milestones = List.copyOf(milestones);
        if (schedulers.isEmpty()) {
            throw new IllegalArgumentException("sequentiallr: needs at least one schedule, e.g. sequentiallr(linearlr("
                    + "start_factor=0.1, total_iters=5), cosineannealinglr(T_max=55), milestones=[5])");
        }
        if (milestones.size() != schedulers.size() - 1) {
            throw Rules.invalid("sequentiallr", "milestones", milestones, "must hold one milestone fewer than there are "
                    + "schedules, but there are " + schedulers.size() + " schedules and " + milestones.size() + " milestones");
        }
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i) < 1 || (i > 0 && milestones.get(i) <= milestones.get(i - 1))) {
                throw Rules.invalid("sequentiallr", "milestones", milestones, "must be strictly increasing and >= 1");
            }
        }
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).needsMetric()) {
                throw new IllegalArgumentException("sequentiallr: schedule " + i + " (" + schedulers.get(i) + ") needs a "
                        + "metric at every step, which SequentialLR cannot give it (PyTorch 2 rejects ReduceLROnPlateau "
                        + "here too); for a warm-up before it use linearwarmup(reducelronplateau(...), warmup_steps=N)");
            }
        }
    }

    /** Which schedule is active after {@code step} steps. */
    int indexAt(long step) {
        int i = 0;
        while (i < milestones.size() && step >= milestones.get(i)) {
            i++;
        }
        return i;
    }

    @Override
    public Scheduler start(List<GroupBase> groups) {
        return new Runtime(this, groups);
    }

    @Override
    public void check(List<GroupBase> groups) {
        schedulers.forEach(s -> s.check(groups));
    }

    @Override
    public boolean cyclesMomentum() {
        return schedulers.stream().anyMatch(Schedule::cyclesMomentum);
    }

    @Override
    public String toString() {
        List<String> args = new ArrayList<>();
        schedulers.forEach(s -> args.add(s.toString()));
        args.add("milestones=" + Rules.render(milestones));
        return "sequentiallr(" + String.join(", ", args) + ")";
    }

    /** Holds the active schedule's scheduler and the momentum that holds while no cycling schedule is active. */
    private static final class Runtime extends Scheduler {
        private final SequentialLr sequence;
        private int index;
        private Scheduler active;
        private double[] carriedMomentum;

        Runtime(SequentialLr sequence, List<GroupBase> groups) {
            super(sequence, groups);
            this.sequence = sequence;
            this.active = sequence.schedulers.get(0).start(groups);
            this.carriedMomentum = constructedMomentum();
        }

        /** The momentum PyTorch's constructors leave: the step-0 momentum of the last cycling child, else the base. */
        private double[] constructedMomentum() {
            double[] out = new double[groups().size()];
            Scheduler last = null;
            for (Schedule s : sequence.schedulers) {
                if (s.cyclesMomentum()) {
                    last = s.start(groups());
                }
            }
            for (int g = 0; g < out.length; g++) {
                out[g] = last == null ? groups().get(g).momentum() : last.momentum(g);
            }
            return out;
        }

        /** Starts child i at its milestone; MultiplicativeLR continues from the lr in effect. */
        private Scheduler startChild(int i, Scheduler previous) {
            Schedule child = sequence.schedulers.get(i);
            if (!(child instanceof MultiplicativeLr) || previous == null) {
                return child.start(groups());
            }
            List<GroupBase> continued = new ArrayList<>();
            for (GroupBase g : groups()) {
                continued.add(g.withLr(previous.lr(g.index())));
            }
            return child.start(continued);
        }

        @Override
        public double lr(int group) {
            return active.lr(group);
        }

        @Override
        public double momentum(int group) {
            return sequence.schedulers.get(index).cyclesMomentum() ? active.momentum(group) : carriedMomentum[group];
        }

        @Override
        void advance(double metric) {
            int next = sequence.indexAt(step + 1);
            if (next == index) {
                active.advance(metric);
            } else {
                Scheduler started = startChild(next, active);
                if (sequence.schedulers.get(index).cyclesMomentum()) {
                    for (int g = 0; g < carriedMomentum.length; g++) {
                        carriedMomentum[g] = active.momentum(g);
                    }
                }
                active = started;
                index = next;
            }
            step++;
        }

        @Override
        void save(Map<String, Object> state) {
            state.put("momentum", carriedMomentum.clone());
            state.put("child", active.saveState());
        }

        @Override
        void restore(Map<String, Object> state) {
            long k = savedStep(state);
            int i = sequence.indexAt(k);
            Map<String, Object> saved = StateValues.map(state, "child");
            long expected = k - (i == 0 ? 0 : sequence.milestones.get(i - 1));
            if (savedStep(saved) != expected) {
                throw new IllegalArgumentException("sequentiallr state: at step " + k + " schedule " + i + " must be at step "
                        + expected + ", but child.step=" + savedStep(saved));
            }
            Scheduler fresh = sequence.schedulers.get(i).start(groups());
            fresh.restore(saved);
            carriedMomentum = StateValues.doubles(state, "momentum", groups().size());
            active = fresh;
            index = i;
            step = k;
        }
    }
}
