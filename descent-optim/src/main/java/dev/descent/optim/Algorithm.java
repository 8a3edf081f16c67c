package dev.descent.optim;

import dev.descent.optim.spec.Names;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The description of an optimization algorithm: its name, its hyperparameters with their defaults and
 * rules, any rule across hyperparameters, and how to build it.
 *
 * <p>Resolution turns what a user wrote into a complete, validated set of values, rejecting unknown keys
 * with the list of valid ones and the closest match. PyTorch's implementation switches
 * ({@code foreach}, {@code fused}, {@code capturable}, {@code differentiable}) are accepted and ignored
 * so that options copied from PyTorch work.
 */
public final class Algorithm {
    /** PyTorch options that choose an implementation, not a result; accepted and ignored. */
    public static final Set<String> IGNORED_SWITCHES = Set.of("foreach", "fused", "capturable", "differentiable");

    private final String name;
    private final List<Hyperparameter> hyperparameters;
    private final Consumer<Map<String, Object>> crossCheck;
    private final BiFunction<Map<String, Object>, List<ParamGroup>, Optimizer> factory;

    private Algorithm(String name, List<Hyperparameter> hyperparameters, Consumer<Map<String, Object>> crossCheck,
                      BiFunction<Map<String, Object>, List<ParamGroup>, Optimizer> factory) {
        this.name = name;
        this.hyperparameters = Collections.unmodifiableList(new ArrayList<>(hyperparameters));
        this.crossCheck = crossCheck;
        this.factory = factory;
    }

    /**
     * Describes an algorithm.
     *
     * @param crossCheck a rule across the resolved values (throws IllegalArgumentException), or null
     * @param factory    builds the optimizer from the default values and the parameter groups
     */
    public static Algorithm of(String name, List<Hyperparameter> hyperparameters, Consumer<Map<String, Object>> crossCheck,
                               BiFunction<Map<String, Object>, List<ParamGroup>, Optimizer> factory) {
        return new Algorithm(name, hyperparameters, crossCheck, factory);
    }

    /** The algorithm's name as specs write it. */
    public String name() {
        return name;
    }

    /** The declared hyperparameters in PyTorch's order. */
    public List<Hyperparameter> hyperparameters() {
        return hyperparameters;
    }

    /** The declaration of {@code key}, or null. */
    public Hyperparameter hyperparameter(String key) {
        for (Hyperparameter h : hyperparameters) {
            if (h.name().equals(key)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Completes and validates hyperparameter values: {@code base} (already valid, may be null) overlaid by
     * {@code given}; every key without a value takes its default.
     *
     * @throws IllegalArgumentException for an unknown key, a bad value, a missing required value or a
     *                                  broken rule across values
     */
    public Map<String, Object> resolve(Map<String, ?> base, Map<String, ?> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Hyperparameter h : hyperparameters) {
            Object v = base != null && base.containsKey(h.name()) ? base.get(h.name()) : h.defaultValue();
            values.put(h.name(), v instanceof double[] ? ((double[]) v).clone() : v);
        }
        for (Map.Entry<String, ?> e : given.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (IGNORED_SWITCHES.contains(key)) {
                continue;
            }
            Hyperparameter h = hyperparameter(key);
            if (h == null) {
                List<String> valid = new ArrayList<>();
                hyperparameters.forEach(x -> valid.add(x.name()));
                throw new IllegalArgumentException(Names.unknown("key for " + name, e.getKey(), valid));
            }
            values.put(h.name(), h.check(name, e.getValue()));
        }
        for (Hyperparameter h : hyperparameters) {
            if (values.get(h.name()) == null) {
                throw new IllegalArgumentException(name + ": " + h.name() + " is required (PyTorch has no default for it), e.g. "
                        + name + "(" + h.name() + "=0.01)");
            }
        }
        if (crossCheck != null) {
            crossCheck.accept(values);
        }
        return values;
    }

    /** Builds the optimizer over the given groups, with {@code defaults} for what a group does not override. */
    public Optimizer create(Map<String, ?> defaults, List<ParamGroup> groups) {
        return factory.apply(resolve(null, defaults), groups);
    }

    /** Writes values as a spec, {@code name(key=value, ...)}, in declaration order. */
    public String render(Map<String, ?> values) {
        StringBuilder b = new StringBuilder(name).append('(');
        String sep = "";
        for (Hyperparameter h : hyperparameters) {
            b.append(sep).append(h.name()).append('=').append(Hyperparameter.render(values.get(h.name())));
            sep = ", ";
        }
        return b.append(')').toString();
    }

    @Override
    public String toString() {
        return name + hyperparameters;
    }
}
