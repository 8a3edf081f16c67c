package dev.descent.optim.schedule;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerWrapper;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.spec.Names;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedules an optimizer's hyperparameters follow, stepped together, with their step count and history
 * saved in the optimizer's {@link dev.descent.optim.StateDict}, so that a run resumed from a snapshot gets
 * exactly the values it would have had.
 *
 * <pre>
 *   HyperparameterSchedules schedules = HyperparameterSchedules.attach(optimizer)
 *           .follow("lr", Schedules.parse("cosineannealinglr(T_max=100)"))
 *           .follow("weight_decay", Schedules.parse("linearlr(start_factor=1, end_factor=0.1, total_iters=100)"));
 *   for (...) { optimizer.step(); schedules.step(); }
 * </pre>
 *
 * <p>Any real-valued hyperparameter can follow a schedule: {@code lr}, {@code momentum}, {@code weight_decay},
 * {@code eps}, ..., and {@code beta1} / {@code beta2} for {@code betas[0]} / {@code betas[1]}. A schedule
 * treats the hyperparameter as PyTorch's schedulers treat the learning rate: its value when it starts to
 * follow is the base, and after k calls of {@link #step()} the group holds what the schedule gives for
 * step k. A learning-rate schedule that cycles momentum (CyclicLR, OneCycleLR) sets the group's
 * {@code momentum} or {@code betas[0]} too, which then cannot follow a schedule of its own.
 *
 * <p>The schedules attach to the optimizer under the name {@value #ATTACHMENT}: to resume, build the
 * optimizer, follow the same schedules, then call {@code loadStateDict}.
 */
public final class HyperparameterSchedules implements Optimizer.Attachment {
    /** The name under which the schedules attach to their optimizer and appear in its state dict. */
    public static final String ATTACHMENT = "schedules";

    private final Optimizer optimizer;
    private final Map<String, Scheduler> schedulers = new LinkedHashMap<>();

    private HyperparameterSchedules(Optimizer optimizer) {
        this.optimizer = optimizer;
    }

    /**
     * The schedules of {@code optimizer}, attached to it on first use. A wrapper ({@link OptimizerWrapper}:
     * lookahead, ema, swa) is seen through: the schedules follow the hyperparameters of the optimizer it wraps,
     * which owns the groups, and attach to that one.
     */
    public static HyperparameterSchedules attach(Optimizer optimizer) {
        while (optimizer instanceof OptimizerWrapper w) {
            optimizer = w.inner();
        }
        Optimizer.Attachment existing = optimizer.attachment(ATTACHMENT);
        if (existing instanceof HyperparameterSchedules s) {
            return s;
        }
        HyperparameterSchedules s = new HyperparameterSchedules(optimizer);
        optimizer.attach(ATTACHMENT, s);
        return s;
    }

    /**
     * Makes hyperparameter {@code key} of every group follow {@code schedule} from now on, starting from
     * the value each group holds, and sets the values of step 0.
     *
     * @return this, to chain calls
     * @throws IllegalArgumentException when the optimizer has no such real-valued hyperparameter (the message
     *                                  lists those it has), the key follows a schedule already (a cycled
     *                                  momentum included), or the schedule's first value breaks the key's rule
     */
    public HyperparameterSchedules follow(String key, Schedule schedule) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        List<String> keys = schedulable();
        if (!keys.contains(k)) {
            throw new IllegalArgumentException("cannot schedule '" + key + "': "
                    + Names.unknown("real-valued " + optimizer.name() + " hyperparameter", key, keys));
        }
        if (schedulers.containsKey(k) || cycledMomentum().equals(k)) {
            throw new IllegalArgumentException("'" + k + "' follows a schedule already"
                    + (cycledMomentum().equals(k) ? " (the learning-rate schedule cycles it)" : ""));
        }
        List<GroupBase> bases = new ArrayList<>();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < groups.size(); g++) {
            if (k.equals("lr")) {
                bases.add(GroupBase.of(g, groups.get(g)));
            } else {
                bases.add(GroupBase.of(g, read(groups.get(g), k)));
            }
        }
        Scheduler scheduler = schedule.start(bases);
        if (!k.equals("lr") && schedule.cyclesMomentum()) {
            throw new IllegalArgumentException(schedule + " cycles momentum, which only a learning-rate schedule can do; "
                    + "'" + k + "' cannot follow it");
        }
        if (k.equals("lr") && schedule.cyclesMomentum() && schedulers.containsKey(momentumKey(scheduler))) {
            throw new IllegalArgumentException(schedule + " cycles '" + momentumKey(scheduler)
                    + "', which follows a schedule already");
        }
        apply(k, scheduler);
        schedulers.put(k, scheduler);
        return this;
    }

    /** Takes one step of every schedule and sets the values it gives. */
    public void step() {
        for (Map.Entry<String, Scheduler> e : schedulers.entrySet()) {
            e.getValue().step();
            apply(e.getKey(), e.getValue());
        }
    }

    /** Takes one step, giving ReduceLROnPlateau the metric it watches (other schedules ignore it). */
    public void step(double metric) {
        for (Map.Entry<String, Scheduler> e : schedulers.entrySet()) {
            e.getValue().step(metric);
            apply(e.getKey(), e.getValue());
        }
    }

    /** The number of steps taken (the same for every schedule). */
    public long stepCount() {
        return schedulers.isEmpty() ? 0 : schedulers.values().iterator().next().stepCount();
    }

    /** The keys that follow a schedule, in the order they were added. */
    public List<String> keys() {
        return List.copyOf(schedulers.keySet());
    }

    /** The scheduler behind {@code key}, or null when the key follows none. */
    public Scheduler scheduler(String key) {
        return schedulers.get(key.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The value in effect of every scheduled key (a cycled momentum included) for each group, for logging:
     * what the next optimizer step uses.
     */
    public Map<String, double[]> values() {
        Map<String, double[]> out = new LinkedHashMap<>();
        List<ParamGroup> groups = optimizer.paramGroups();
        List<String> keys = new ArrayList<>(schedulers.keySet());
        if (!cycledMomentum().isEmpty()) {
            keys.add(cycledMomentum());
        }
        for (String k : keys) {
            double[] v = new double[groups.size()];
            for (int g = 0; g < v.length; g++) {
                v[g] = read(groups.get(g), k);
            }
            out.put(k, v);
        }
        return out;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        schedulers.forEach((k, s) -> state.put(k, s.state()));
        return state;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void load(Map<String, Object> state) {
        if (!state.keySet().equals(schedulers.keySet())) {
            throw new IllegalArgumentException("the state dict holds schedules for " + state.keySet()
                    + " but this optimizer follows schedules for " + schedulers.keySet());
        }
        for (Map.Entry<String, Scheduler> e : schedulers.entrySet()) {
            Object saved = state.get(e.getKey());
            if (!(saved instanceof Map)) {
                throw new IllegalArgumentException("the state of the '" + e.getKey() + "' schedule is not a map: " + saved);
            }
            // Check on a fresh scheduler first, so that a bad snapshot leaves every schedule as it was.
            Scheduler probe = e.getValue().schedule().start(e.getValue().groups());
            probe.load((Map<String, Object>) saved);
        }
        for (Map.Entry<String, Scheduler> e : schedulers.entrySet()) {
            e.getValue().load((Map<String, Object>) state.get(e.getKey()));
            apply(e.getKey(), e.getValue());
        }
    }

    /** Sets the values {@code scheduler} holds on every group (and the momentum it cycles, if it does). */
    private void apply(String key, Scheduler scheduler) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < groups.size(); g++) {
            double value = scheduler.lr(g);
            try {
                write(groups.get(g), key, value);
                if (key.equals("lr") && scheduler.schedule().cyclesMomentum()) {
                    write(groups.get(g), momentumKey(scheduler), scheduler.momentum(g));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(scheduler.schedule() + " at step " + scheduler.stepCount()
                        + " gives group " + g + " a value the optimizer rejects: " + e.getMessage(), e);
            }
        }
    }

    /** The key the learning-rate schedule cycles as momentum, or "" when it cycles none. */
    private String cycledMomentum() {
        Scheduler lr = schedulers.get("lr");
        return lr != null && lr.schedule().cyclesMomentum() ? momentumKey(lr) : "";
    }

    private static String momentumKey(Scheduler scheduler) {
        return scheduler.groups().get(0).momentumKind() == GroupBase.MomentumKind.BETA1 ? "beta1" : "momentum";
    }

    /** The real-valued hyperparameters of the optimizer, with beta1/beta2 for the betas pair. */
    private List<String> schedulable() {
        List<String> keys = new ArrayList<>();
        if (optimizer.algorithm() == null) {
            return keys;
        }
        for (Hyperparameter h : optimizer.algorithm().hyperparameters()) {
            if (h.kind() == Hyperparameter.Kind.REAL) {
                keys.add(h.name());
            } else if (h.kind() == Hyperparameter.Kind.REALS && h.name().equals("betas")) {
                keys.add("beta1");
                keys.add("beta2");
            }
        }
        return keys;
    }

    private static double read(ParamGroup group, String key) {
        return switch (key) {
            case "beta1" -> group.real("betas", 0);
            case "beta2" -> group.real("betas", 1);
            default -> group.real(key);
        };
    }

    private static void write(ParamGroup group, String key, double value) {
        switch (key) {
            case "beta1", "beta2" -> {
                double[] betas = (double[]) group.get("betas");
                betas[key.equals("beta1") ? 0 : 1] = value;
                group.set("betas", betas);
            }
            default -> group.set(key, value);
        }
    }
}
