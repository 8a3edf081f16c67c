package dev.descent.optim;

import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecSeq;
import dev.descent.optim.spec.SpecValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An optimizer that runs another one (the inner optimizer) and then does something with the weights after
 * each of its steps: {@link Lookahead}, {@link Ema} and {@link Swa}.
 *
 * <p>The inner optimizer owns the parameter groups: {@link #paramGroups()}, {@link #lr()} and
 * {@link #setLr(double)} are its, so schedules work through a wrapper. The wrapper's own settings
 * ({@code k} and {@code alpha} of lookahead, ...) are validated like hyperparameters and live in
 * {@link #settings()}. After each inner step the wrapper's elementwise {@link #update} runs over every
 * parameter that has a gradient, with its own per-parameter step count and buffers (slow weights, averages),
 * on the same threads as any optimizer step. Parameter groups chosen by {@link GroupRules}
 * ({@code OptimizerSpec.build(params, "bias: weight_decay=0")}, the CLI's {@code --group}) are the inner
 * optimizer's: a rule is checked against the inner algorithm and sets its hyperparameters.
 *
 * <p>{@link #stateDict()} is the inner optimizer's, with the wrapper's settings added to group 0 and its
 * per-parameter state added to each parameter's, all under the prefix {@code name.} ({@code lookahead.k},
 * {@code ema.average}); a wrapper inside a wrapper of the same name numbers its prefix ({@code ema2.}).
 * Loading splits them again, so save, load and step gives the same bits as stepping on. What is attached to
 * a wrapper (its hyperparameter schedules) is attached to the inner optimizer and saved with it.
 */
public abstract class OptimizerWrapper extends Optimizer {
    private final Optimizer inner;
    private final String prefix;

    /**
     * @param algorithm the wrapper's description: its name and its settings with their rules; its factory is
     *                  not used (a wrapper is built around an optimizer, see {@link #spec})
     * @param settings  complete, validated values of the settings
     * @param inner     the optimizer to wrap
     */
    protected OptimizerWrapper(Algorithm algorithm, Map<String, Object> settings, Optimizer inner) {
        super(algorithm, settings, List.of(ParamGroup.of(allParams(inner))));
        this.inner = inner;
        int same = 0;
        for (Optimizer o = inner; o instanceof OptimizerWrapper w; o = w.inner) {
            same += w.name().equals(algorithm.name()) ? 1 : 0;
        }
        this.prefix = algorithm.name() + (same == 0 ? "" : Integer.toString(same + 1)) + ".";
    }

    private static List<Param> allParams(Optimizer inner) {
        List<Param> all = new ArrayList<>();
        inner.paramGroups().forEach(g -> all.addAll(g.params()));
        return all;
    }

    /** The wrapped optimizer. */
    public Optimizer inner() {
        return inner;
    }

    /** The wrapper's own settings (one group over every parameter), readable and settable between steps. */
    public ParamGroup settings() {
        return super.paramGroups().get(0);
    }

    /** The inner optimizer's parameter groups. */
    @Override
    public List<ParamGroup> paramGroups() {
        return inner.paramGroups();
    }

    /** The inner optimizer's learning rate of group 0. */
    @Override
    public double lr() {
        return inner.lr();
    }

    /** Sets the inner optimizer's learning rate in every group. */
    @Override
    public void setLr(double lr) {
        inner.setLr(lr);
    }

    /** Runs {@link #beforeStep()}, the inner step, then the wrapper's {@link #update} on each parameter with a gradient. */
    @Override
    public void step() {
        beforeStep();
        inner.step();
        super.step();
    }

    /** As {@link #step()}, handing the closure to the inner optimizer (which may evaluate it several times). */
    @Override
    public double step(Closure closure) {
        beforeStep();
        double loss = inner.step(closure);
        super.step();
        return loss;
    }

    /**
     * Attaches {@code attachment} to the inner optimizer, which owns the groups that schedules act on: its state
     * is saved and restored with the inner optimizer's, under {@code name} unprefixed, as if nothing wrapped it.
     */
    @Override
    public void attach(String name, Attachment attachment) {
        inner.attach(name, attachment);
    }

    /** The inner optimizer's attachment under {@code name}, or null. */
    @Override
    public Attachment attachment(String name) {
        return inner.attachment(name);
    }

    /** What the wrapper does before each inner step; nothing unless overridden. */
    protected void beforeStep() {
    }

    /** Adds wrapper-wide state beyond the settings and choices (step counters) to {@code out}; nothing unless overridden. */
    protected void saveWrapperState(Map<String, Object> out) {
    }

    /**
     * Restores the {@link #choices()} and what {@link #saveWrapperState} wrote, checking everything before
     * changing anything; called before the rest is loaded.
     */
    protected void loadWrapperState(Map<String, Object> saved) {
    }

    /** The inner optimizer's snapshot with the wrapper's settings and state added under this wrapper's prefix. */
    @Override
    public StateDict stateDict() {
        StateDict innerDict = inner.stateDict();
        StateDict own = super.stateDict();
        List<Map<String, Object>> groups = innerDict.paramGroups();
        Map<String, Object> wrapperValues = own.paramGroups().get(0);
        wrapperValues.remove("params");
        wrapperValues.putAll(choices());
        saveWrapperState(wrapperValues);
        wrapperValues.forEach((k, v) -> groups.get(0).put(prefix + k, v));
        Map<Integer, Map<String, Object>> state = innerDict.state();
        own.state().forEach((index, values) -> {
            Map<String, Object> merged = state.computeIfAbsent(index, k -> new LinkedHashMap<>());
            values.forEach((k, v) -> merged.put(prefix + k, v));
        });
        return new StateDict(groups, state, innerDict.attachments());
    }

    /**
     * Restores a snapshot taken by {@link #stateDict()} of the same wrapper around the same kind of optimizer
     * over parameters of the same sizes; a snapshot without this wrapper's entries is rejected.
     */
    @Override
    public void loadStateDict(StateDict dict) {
        List<Map<String, Object>> groups = dict.paramGroups();
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(name() + ": the state dict has no parameter groups");
        }
        Map<String, Object> wrapperValues = take(groups.get(0));
        if (wrapperValues.isEmpty()) {
            throw new IllegalArgumentException(name() + ": the state dict has no '" + prefix + "' entries in group 0; "
                    + "it was not saved by a " + name() + "(...) wrapper");
        }
        Map<Integer, Map<String, Object>> innerState = new LinkedHashMap<>();
        Map<Integer, Map<String, Object>> ownState = new LinkedHashMap<>();
        dict.state().forEach((index, values) -> {
            Map<String, Object> own = take(values);
            if (!own.isEmpty()) {
                ownState.put(index, own);
            }
            if (!values.isEmpty()) {
                innerState.put(index, values);
            }
        });
        int count = super.paramGroups().get(0).params().size();
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = i;
        }
        Map<String, Object> settingsValues = new LinkedHashMap<>();
        for (String key : wrapperValues.keySet().toArray(new String[0])) {
            if (algorithm().hyperparameter(key) != null) {
                settingsValues.put(key, wrapperValues.remove(key));
            }
        }
        settingsValues.put("params", ids);
        StateDict before = super.stateDict();
        Map<String, Object> wrapperBefore = new LinkedHashMap<>(choices());
        saveWrapperState(wrapperBefore);
        for (String key : wrapperValues.keySet()) {
            if (!wrapperBefore.containsKey(key)) {
                throw new IllegalArgumentException(Names.unknown("key for " + name() + " state", key, wrapperBefore.keySet()));
            }
        }
        loadWrapperState(wrapperValues);
        try {
            super.loadStateDict(new StateDict(List.of(settingsValues), ownState));
            inner.loadStateDict(new StateDict(groups, innerState, dict.attachments()));
        } catch (RuntimeException e) {
            loadWrapperState(wrapperBefore);
            super.loadStateDict(before);
            throw e;
        }
    }

    /** Removes the entries under this wrapper's prefix from {@code values} and returns them without it. */
    private Map<String, Object> take(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
                return true;
            }
            return false;
        });
        return out;
    }

    /** The spec that builds this wrapper: {@code name(inner, key=value, ...)}, whole numbers without a decimal point. */
    @Override
    public String toString() {
        Map<String, Object> values = new LinkedHashMap<>(settings().values());
        values.putAll(choices());
        return render(name(), inner.toString(), values);
    }

    /** The wrapper's string settings, such as swa's {@code anneal_strategy}; none unless overridden. */
    protected Map<String, String> choices() {
        return Map.of();
    }

    private static String render(String name, String inner, Map<String, ?> values) {
        StringBuilder b = new StringBuilder(name).append('(').append(inner);
        values.forEach((k, v) -> b.append(", ").append(k).append('=').append(v instanceof String s ? s
                : v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53 ? Long.toString(d.longValue())
                : Hyperparameter.render(v)));
        return b.append(')').toString();
    }

    /** A count that must be a whole number of at least {@code min}. */
    static Hyperparameter count(String name, Long defaultValue, long min) {
        String rule = "must be an integer >= " + min;
        return defaultValue == null
                ? Hyperparameter.requiredReal(name, x -> x >= min && x == Math.rint(x) && x < 0x1p53, rule)
                : Hyperparameter.real(name, defaultValue, x -> x >= min && x == Math.rint(x) && x < 0x1p53, rule);
    }

    /** What a wrapper's constructor takes. */
    @FunctionalInterface
    interface Factory {
        Optimizer create(Optimizer inner, Map<String, Object> settings, Map<String, String> choices);
    }

    /**
     * Reads a wrapper spec {@code name(inner, key=value, ...)}: the one positional argument is the optimizer it
     * wraps; the keys are the algorithm's settings, plus string {@code choices} (key to allowed values, the
     * first the default) and {@code aliases} (another name for a key, as PyTorch's {@code anneal_epochs}).
     */
    static OptimizerSpec spec(Spec spec, Algorithm algorithm, String example, Map<String, List<String>> choices,
                              Map<String, String> aliases, Factory factory) {
        String name = algorithm.name();
        if (spec.positional().size() != 1 || !(spec.positional().get(0) instanceof Spec innerSpec)) {
            throw new IllegalArgumentException(name + ": takes the optimizer it wraps as its one positional argument, e.g. "
                    + example + ", but got " + spec.source());
        }
        OptimizerSpec inner = Optimizers.of(innerSpec);
        List<String> valid = new ArrayList<>();
        algorithm.hyperparameters().forEach(h -> valid.add(h.name()));
        valid.addAll(choices.keySet());
        valid.addAll(aliases.keySet());
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, String> seen = new LinkedHashMap<>();
        Map<String, String> chosen = new LinkedHashMap<>();
        choices.forEach((k, options) -> chosen.put(k, options.get(0)));
        spec.named().forEach((rawKey, v) -> {
            String key = aliases.getOrDefault(rawKey, rawKey);
            if (Algorithm.IGNORED_SWITCHES.contains(key)) {
                return;
            }
            if (!valid.contains(key)) {
                throw new IllegalArgumentException(Names.unknown("key for " + name, rawKey, valid));
            }
            String before = seen.put(key, rawKey);
            if (before != null) {
                throw new IllegalArgumentException(name + ": " + key + " is given twice"
                        + (before.equals(rawKey) ? "" : ", as " + before + " and as " + rawKey) + ", in " + spec.source());
            }
            if (choices.containsKey(key)) {
                String s = SpecValues.toStr(name, key, v).toLowerCase(Locale.ROOT);
                if (!choices.get(key).contains(s)) {
                    throw new IllegalArgumentException(name + ": " + key + "=" + Spec.render(v) + " is invalid: must be one of "
                            + String.join(", ", choices.get(key)));
                }
                chosen.put(key, s);
            } else {
                given.put(key, v instanceof SpecSeq seq ? seq.items() : v);
            }
        });
        Map<String, Object> settings = algorithm.resolve(null, given);
        Map<String, Object> shown = new LinkedHashMap<>(settings);
        shown.putAll(chosen);
        String canonical = render(name, inner.toString(), shown);
        return OptimizerSpec.composite(name, canonical, rules -> checkRules(name, valid, inner, rules),
                groups -> factory.create(inner.buildGroups(groups), settings, chosen));
    }

    /**
     * Checks group rules against the inner optimizer, which takes the groups; a rule that fails and names one of
     * the wrapper's own settings (which hold for every parameter) says so.
     */
    private static void checkRules(String name, List<String> settings, OptimizerSpec inner, GroupRules rules) {
        try {
            inner.checkRules(rules);
        } catch (IllegalArgumentException e) {
            for (GroupRules.Rule rule : rules.rules()) {
                for (String key : rule.overrides().keySet()) {
                    if (settings.contains(key) && e.getMessage().contains("'" + key + "'")) {
                        throw new IllegalArgumentException(e.getMessage() + " (" + key + " is a setting of " + name
                                + ", which holds for every parameter; a group rule sets the hyperparameters of the optimizer "
                                + name + " wraps, " + inner.name() + ")", e);
                    }
                }
            }
            throw e;
        }
    }

    /** An algorithm description for a wrapper, whose factory explains how wrappers are built instead. */
    static Algorithm describe(String name, List<Hyperparameter> settings, String example) {
        return Algorithm.of(name, settings, null, (values, groups) -> {
            throw new IllegalArgumentException(name + " wraps another optimizer: write it as " + example);
        });
    }

    /**
     * {@code a[i] ← a[i] + t (b[i] − a[i])} for i in [from, to), as torch.lerp computes it: from {@code a} when
     * t &lt; 0.5, else from {@code b} as {@code b[i] − (1 − t)(b[i] − a[i])}, so t = 0 gives exactly a and t = 1
     * exactly b. The branch is taken once, outside the loop.
     */
    static void lerp(float[] a, float[] b, float t, int from, int to) {
        if (t < 0.5f) {
            for (int i = from; i < to; i++) {
                a[i] = Math.fma(t, b[i] - a[i], a[i]);
            }
        } else {
            float u = t - 1;
            for (int i = from; i < to; i++) {
                a[i] = Math.fma(u, b[i] - a[i], b[i]);
            }
        }
    }
}
