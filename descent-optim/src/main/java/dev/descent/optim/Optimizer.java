package dev.descent.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A first-order optimizer over parameter groups, with PyTorch's lifecycle: {@link #zeroGrad()},
 * {@link #step()} or {@link #step(Closure)}, per-group hyperparameters readable and settable between
 * steps, and {@link #stateDict()} / {@link #loadStateDict(StateDict)}.
 *
 * <p>This class holds everything the algorithms share: groups, lazily created per-parameter state, step
 * counting, hyperparameter validation, state save/load and the threads. An algorithm implements only
 * {@link #update(ParamGroup, Param, ParamState)}: it works out the step's scalars and returns the fused
 * elementwise loop. Parameters whose gradient is undefined are skipped and their step count does not
 * advance. Every update is elementwise, so a step gives the same bits however it is split across threads.
 * An algorithm with state of another shape says so through two hooks that save/load honours:
 * {@link #vectorLength} (per-parameter arrays of their own length, as Adafactor's row and column
 * accumulators) and {@link #groupState} (per-group values that are not hyperparameters, as the
 * schedule-free methods' {@code train_mode}).
 */
public abstract class Optimizer {
    /** Re-evaluates the model and its gradients, returning the loss (for methods such as L-BFGS). */
    @FunctionalInterface
    public interface Closure {
        /** Computes the loss and writes the gradients. */
        double evaluate();
    }

    /**
     * Something attached to an optimizer whose state is saved in the optimizer's {@link StateDict} and
     * restored with it, such as the schedules its hyperparameters follow.
     */
    public interface Attachment {
        /** A snapshot of the attachment's state (deep copies only). */
        Map<String, Object> state();

        /**
         * Restores a snapshot taken by {@link #state()}.
         *
         * @throws IllegalArgumentException when the snapshot does not fit; the attachment is then unchanged
         */
        void load(Map<String, Object> state);
    }

    /** The elementwise part of one parameter's update, applied to index range {@code [from, to)} of the flat arrays. */
    @FunctionalInterface
    public interface Kernel {
        /** Updates elements {@code from} (inclusive) to {@code to} (exclusive). */
        void apply(int from, int to);
    }

    private final Algorithm algorithm;
    private final List<ParamGroup> groups;
    private final Map<Param, ParamState> states = new IdentityHashMap<>();
    private final Map<ParamStore, Map<String, float[]>> buffers = new IdentityHashMap<>();
    private final Map<String, Attachment> attachments = new LinkedHashMap<>();
    private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.PROPAGATE;
    private long skippedSteps;

    /**
     * @param algorithm the algorithm's description
     * @param defaults  complete, validated values for what a group does not override
     * @param groups    the parameter groups; a parameter may appear in only one
     */
    protected Optimizer(Algorithm algorithm, Map<String, Object> defaults, List<ParamGroup> groups) {
        this.algorithm = algorithm;
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(algorithm.name() + ": got an empty list of parameter groups");
        }
        List<ParamGroup> adopted = new ArrayList<>();
        Map<Param, Integer> seen = new IdentityHashMap<>();
        for (ParamGroup g : groups) {
            for (Param p : g.params()) {
                Integer before = seen.put(p, adopted.size());
                if (before != null) {
                    throw new IllegalArgumentException(algorithm.name() + ": parameter '" + p.name()
                            + "' appears in group " + before + " and in group " + adopted.size()
                            + "; a parameter may belong to one group only");
                }
            }
            adopted.add(g.adopt(algorithm, defaults));
        }
        this.groups = Collections.unmodifiableList(adopted);
    }

    /**
     * Prepares one parameter's update: computes the step's scalars, creates or advances state, and returns
     * the elementwise loop, which the caller applies to the parameter's slice
     * {@code [p.offset(), p.offset() + p.size())}, possibly in pieces on several threads.
     * {@code state.step()} already counts this step.
     */
    protected abstract Kernel update(ParamGroup group, Param p, ParamState state);

    /** The algorithm's name, as specs write it. */
    public String name() {
        return algorithm.name();
    }

    /** The algorithm's description. */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** The parameter groups with their current values; set values through {@link ParamGroup#set}. */
    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** The learning rate of group 0 (the only group, in the common case). */
    public double lr() {
        return groups.get(0).lr();
    }

    /** Sets the learning rate of every group. */
    public void setLr(double lr) {
        for (ParamGroup g : groups) {
            g.setLr(lr);
        }
    }

    /** Zeroes every gradient, keeping it defined (PyTorch 1.13's default). */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /** Zeroes every gradient; with {@code setToNone} the gradients become undefined and are skipped until written. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : groups) {
            for (Param p : g.params()) {
                p.zeroGrad(setToNone);
            }
        }
    }

    /** Takes one step with the gradients as they are (unless the {@link NonFinitePolicy} says otherwise). */
    public void step() {
        if (!gradientsPassPolicy()) {
            return;
        }
        List<ParamGroup> owners = new ArrayList<>();
        List<Param> targets = new ArrayList<>();
        List<ParamState> states = new ArrayList<>();
        for (ParamGroup g : groups) {
            for (Param p : g.params()) {
                if (p.hasGrad()) {
                    ParamState s = state(p);
                    s.step++;
                    owners.add(g);
                    targets.add(p);
                    states.add(s);
                }
            }
        }
        IntFunction<Kernel> prepare = i -> update(owners.get(i), targets.get(i), states.get(i));
        StepThreads.updateAndRun(targets, prepare, updatesIndependently());
    }

    /**
     * Whether {@link #update} touches nothing but its own parameter, its state and read-only hyperparameters, so
     * that the updates of different parameters may be worked out, and applied, at once on several threads. False
     * unless an algorithm says so: those whose update makes a pass over the parameter first (a norm) override it,
     * because over many small parameters those passes would otherwise run one after another on one thread.
     */
    protected boolean updatesIndependently() {
        return false;
    }

    /** Sets what a step does when a gradient holds NaN or an infinity; the default is PyTorch's {@link NonFinitePolicy#PROPAGATE}. */
    public void setNonFinitePolicy(NonFinitePolicy policy) {
        this.nonFinitePolicy = java.util.Objects.requireNonNull(policy, "policy");
    }

    /** What a step does when a gradient holds NaN or an infinity. */
    public NonFinitePolicy nonFinitePolicy() {
        return nonFinitePolicy;
    }

    /** The number of steps skipped under {@link NonFinitePolicy#SKIP} since this optimizer was made. */
    public long skippedSteps() {
        return skippedSteps;
    }

    /**
     * Applies the non-finite policy to the gradients of every parameter that has one: true when the step
     * may go on; false when it must be skipped (counted); throws under {@link NonFinitePolicy#STOP}. For
     * subclasses that override {@link #step()}.
     */
    protected final boolean gradientsPassPolicy() {
        if (nonFinitePolicy == NonFinitePolicy.PROPAGATE) {
            return true;
        }
        for (ParamGroup g : groups) {
            for (Param p : g.params()) {
                if (p.hasGrad() && !nonFiniteAllowed(p.store().grad(), p.offset(), p.offset() + p.size(), p, 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The policy on {@code values[from, to)}, which hold element {@code first} onwards of {@code p}'s
     * gradient: true when all are finite; false (counted) to skip; throws to stop.
     */
    final boolean nonFiniteAllowed(float[] values, int from, int to, Param p, int first) {
        if (NonFinitePolicy.allFinite(values, from, to)) {
            return true;
        }
        if (nonFinitePolicy == NonFinitePolicy.STOP) {
            throw NonFinitePolicy.error(name(), p, values, from, to, first);
        }
        skippedSteps++;
        return false;
    }

    /** Evaluates {@code closure} (which writes the gradients), takes one step and returns the loss. */
    public double step(Closure closure) {
        double loss = closure.evaluate();
        step();
        return loss;
    }

    /**
     * Attaches {@code attachment} under {@code name}: from now on {@link #stateDict()} saves its state and
     * {@link #loadStateDict(StateDict)} restores it.
     *
     * @throws IllegalArgumentException when something is attached under that name already
     */
    public void attach(String name, Attachment attachment) {
        if (attachments.containsKey(name)) {
            throw new IllegalArgumentException(name() + ": something is attached as '" + name + "' already");
        }
        attachments.put(name, attachment);
    }

    /** The attachment under {@code name}, or null. */
    public Attachment attachment(String name) {
        return attachments.get(name);
    }

    /** The state of {@code p}, or null when it has none yet (it has never taken a step). */
    protected final ParamState existingState(Param p) {
        return states.get(p);
    }

    /**
     * The length of state array {@code name} of {@code p} when the algorithm keeps it as a
     * {@linkplain ParamState#vector vector of its own}, or -1 for a buffer laid out like the store (the default).
     * Loading a state dict checks the arrays' lengths with it.
     */
    protected int vectorLength(Param p, String name) {
        return -1;
    }

    /**
     * Values the algorithm keeps for group {@code index} besides its hyperparameters, saved in that group's
     * entry of {@link #stateDict()} (the schedule-free methods' {@code train_mode}, which their reference keeps
     * in {@code param_groups}); none by default. Each value is a Boolean or a Number.
     */
    protected Map<String, Object> groupState(int index) {
        return Map.of();
    }

    /** Restores values {@link #groupState} saved for group {@code index}; they have its keys and kinds. */
    protected void restoreGroupState(int index, Map<String, Object> saved) {
    }

    /** The state of {@code p}, created on first use. */
    protected final ParamState state(Param p) {
        ParamState s = states.get(p);
        if (s == null) {
            // Concurrent: the parameters' updates may create store-wide buffers from several threads (updatesIndependently).
            s = new ParamState(p, buffers.computeIfAbsent(p.store(), k -> new java.util.concurrent.ConcurrentHashMap<>()));
            states.put(p, s);
        }
        return s;
    }

    /** A deep snapshot of hyperparameters and per-parameter state, shaped like PyTorch's. */
    public StateDict stateDict() {
        List<Map<String, Object>> savedGroups = new ArrayList<>();
        Map<Integer, Map<String, Object>> savedState = new LinkedHashMap<>();
        int index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> values = new LinkedHashMap<>(g.values());
            values.putAll(groupState(savedGroups.size()));
            int[] ids = new int[g.params().size()];
            for (int i = 0; i < ids.length; i++, index++) {
                ids[i] = index;
                ParamState s = states.get(g.params().get(i));
                if (s != null) {
                    savedState.put(index, s.save());
                }
            }
            values.put("params", ids);
            savedGroups.add(values);
        }
        Map<String, Map<String, Object>> attached = new LinkedHashMap<>();
        attachments.forEach((name, a) -> attached.put(name, a.state()));
        return new StateDict(savedGroups, savedState, attached);
    }

    /**
     * Restores a snapshot taken from an optimizer of the same algorithm over parameters of the same
     * sizes, grouped the same way: hyperparameters and state both, and the state of every attachment (this
     * optimizer must have the same attachments as the one saved, attached before loading).
     */
    public void loadStateDict(StateDict dict) {
        List<Map<String, Object>> saved = dict.paramGroups();
        if (saved.size() != groups.size()) {
            throw new IllegalArgumentException(name() + ": the state dict has " + saved.size()
                    + " parameter groups but this optimizer has " + groups.size());
        }
        List<Param> all = new ArrayList<>();
        List<Map<String, Object>> extras = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            List<Param> params = groups.get(gi).params();
            extras.add(takeGroupState(gi, saved.get(gi)));
            Object ids = saved.get(gi).remove("params");
            int count = ids instanceof int[] ? ((int[]) ids).length : -1;
            if (count != params.size()) {
                throw new IllegalArgumentException(name() + ": group " + gi + " of the state dict has " + count
                        + " parameters but this optimizer's group " + gi + " has " + params.size());
            }
            all.addAll(params);
        }
        Map<Integer, Map<String, Object>> state = dict.state();
        for (Integer index : state.keySet()) {
            if (index < 0 || index >= all.size()) {
                throw new IllegalArgumentException(name() + ": the state dict has state for parameter " + index
                        + " but this optimizer has parameters 0.." + (all.size() - 1));
            }
            Param p = all.get(index);
            ParamState.check(p, state.get(index), name -> vectorLength(p, name));
        }
        List<Map<String, Object>> resolved = new ArrayList<>();
        for (Map<String, Object> values : saved) {
            resolved.add(algorithm.resolve(null, values));
        }
        Map<String, Map<String, Object>> attached = dict.attachments();
        if (!attached.keySet().equals(attachments.keySet())) {
            throw new IllegalArgumentException(name() + ": the state dict holds the state of " + describe(attached.keySet())
                    + " but this optimizer has " + describe(attachments.keySet())
                    + " attached; attach the same (such as the same hyperparameter schedules) before loading");
        }
        for (Map.Entry<String, Attachment> e : attachments.entrySet()) {
            e.getValue().load(attached.get(e.getKey()));
        }
        states.clear();
        for (Map.Entry<Integer, Map<String, Object>> e : state.entrySet()) {
            Param p = all.get(e.getKey());
            state(p).load(e.getValue(), name -> vectorLength(p, name));
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            groups.get(gi).replaceValues(resolved.get(gi));
            restoreGroupState(gi, extras.get(gi));
        }
    }

    private static String describe(java.util.Set<String> names) {
        return names.isEmpty() ? "no attachments" : "attachments " + names;
    }

    /** Removes the {@link #groupState} values from a saved group, checking that each is there and of its kind. */
    private Map<String, Object> takeGroupState(int index, Map<String, Object> savedGroup) {
        Map<String, Object> taken = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : groupState(index).entrySet()) {
            Object v = savedGroup.remove(e.getKey());
            boolean sameKind = e.getValue() instanceof Boolean ? v instanceof Boolean : v instanceof Number;
            if (!sameKind) {
                throw new IllegalArgumentException(name() + ": group " + index + " of the state dict "
                        + (v == null ? "lacks '" + e.getKey() + "'" : "has " + e.getKey() + "=" + v)
                        + "; expected a " + (e.getValue() instanceof Boolean ? "boolean" : "number"));
            }
            taken.put(e.getKey(), v);
        }
        return taken;
    }

    /** The algorithm with the values of group 0, as a spec that builds the same optimizer. */
    @Override
    public String toString() {
        return algorithm.render(groups.get(0).values());
    }
}
