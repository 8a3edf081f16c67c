package dev.descent.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of parameters that share hyperparameter values, as PyTorch's {@code param_groups}.
 *
 * <p>Create groups with {@link #of(List)} and per-group overrides with {@link #with(String, Object)},
 * for example no weight decay on biases; values a group does not override come from the optimizer's
 * defaults; {@link GroupRules} chooses groups by parameter name from rules such as
 * {@code bias|norm: weight_decay=0}. The groups an optimizer holds ({@link Optimizer#paramGroups()}) carry the complete, validated
 * values, readable and settable between steps.
 */
public final class ParamGroup {
    private final List<Param> params;
    private final Map<String, Object> values;
    private final Algorithm algorithm;

    private ParamGroup(List<Param> params, Map<String, Object> values, Algorithm algorithm) {
        this.params = params;
        this.values = values;
        this.algorithm = algorithm;
    }

    /** A group of the given parameters with no overrides. */
    public static ParamGroup of(List<Param> params) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("a parameter group needs at least one parameter");
        }
        return new ParamGroup(List.copyOf(params), new LinkedHashMap<>(), null);
    }

    /** A group of the given parameters with no overrides. */
    public static ParamGroup of(Param... params) {
        return of(List.of(params));
    }

    /** A copy of this (not yet adopted) group that overrides {@code key} with {@code value}. */
    public ParamGroup with(String key, Object value) {
        if (algorithm != null) {
            throw new IllegalStateException("this group belongs to an optimizer; use set(\"" + key + "\", value)");
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new ParamGroup(params, copy, null);
    }

    /** The group an optimizer holds: this group's parameters with complete, validated values. */
    ParamGroup adopt(Algorithm algorithm, Map<String, Object> defaults) {
        return new ParamGroup(params, algorithm.resolve(defaults, values), algorithm);
    }

    /** The parameters, in order. */
    public List<Param> params() {
        return params;
    }

    /** All hyperparameter values (a read-only copy: tuples are copied too, so nothing here bypasses {@link #set}). */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(StateDict.copy(values));
    }

    /** The value of {@code key}, or null when the group has none. */
    public Object get(String key) {
        Object v = values.get(key);
        return v instanceof double[] ? ((double[]) v).clone() : v;
    }

    /** A real hyperparameter such as {@code lr}. */
    public double real(String key) {
        return (Double) typed(key, Double.class);
    }

    /** A boolean hyperparameter such as {@code nesterov}. */
    public boolean flag(String key) {
        return (Boolean) typed(key, Boolean.class);
    }

    /** An integer hyperparameter such as {@code max_iter}. */
    public long integer(String key) {
        return (Long) typed(key, Long.class);
    }

    /** A word hyperparameter such as {@code line_search_fn}, or null when it is none. */
    public String word(String key) {
        return values.get(key) == dev.descent.optim.spec.Spec.NONE ? null : (String) typed(key, String.class);
    }

    /** Element {@code i} of a tuple hyperparameter such as {@code betas}. */
    public double real(String key, int i) {
        return ((double[]) typed(key, double[].class))[i];
    }

    private Object typed(String key, Class<?> type) {
        Object v = values.get(key);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(v == null ? "this group has no hyperparameter '" + key + "'; it has " + values.keySet()
                    : "hyperparameter '" + key + "' is " + Hyperparameter.render(v) + ", not a " + type.getSimpleName());
        }
        return v;
    }

    /** Replaces every value at once with complete values the algorithm has already resolved. */
    void replaceValues(Map<String, Object> resolved) {
        values.putAll(resolved);
    }

    /** The learning rate. */
    public double lr() {
        return real("lr");
    }

    /** Sets the learning rate, checked by the algorithm's rule. */
    public void setLr(double lr) {
        set("lr", lr);
    }

    /** Sets a hyperparameter between steps; the value is checked as at construction. */
    public void set(String key, Object value) {
        if (algorithm == null) {
            throw new IllegalStateException("this group does not belong to an optimizer yet; use with(\"" + key + "\", value)");
        }
        values.putAll(algorithm.resolve(values, Map.of(key, value)));
    }

    @Override
    public String toString() {
        return "ParamGroup" + params + values;
    }
}
