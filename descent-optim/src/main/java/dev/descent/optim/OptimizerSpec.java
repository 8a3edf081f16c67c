package dev.descent.optim;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A validated optimizer configuration, ready to build optimizers over parameters. Made by
 * {@link Optimizers#parse(String)}. Most specs are an algorithm with complete hyperparameter values; a
 * composite spec (a chain of transforms, a wrapper around another optimizer) is instead a name, its
 * canonical text and a function that builds it.
 */
public final class OptimizerSpec {
    private final Algorithm algorithm;
    private final Map<String, Object> values;
    private final String compositeName;
    private final String canonical;
    private final Function<List<ParamGroup>, Optimizer> factory;
    /** For a composite: what checks group rules before it is built (a wrapper's inner optimizer), or null. */
    private final Consumer<GroupRules> ruleCheck;

    OptimizerSpec(Algorithm algorithm, Map<String, Object> values) {
        this.algorithm = algorithm;
        this.values = values;
        this.compositeName = null;
        this.canonical = null;
        this.factory = null;
        this.ruleCheck = null;
    }

    private OptimizerSpec(String name, String canonical, Consumer<GroupRules> ruleCheck,
                          Function<List<ParamGroup>, Optimizer> factory) {
        this.algorithm = null;
        this.values = Map.of();
        this.compositeName = name;
        this.canonical = canonical;
        this.factory = factory;
        this.ruleCheck = ruleCheck;
    }

    /**
     * A composite spec: {@code name} as registered in {@link Optimizers}, {@code canonical} the spec text that
     * parses back to it, {@code factory} what builds it over parameter groups.
     */
    public static OptimizerSpec composite(String name, String canonical, Function<List<ParamGroup>, Optimizer> factory) {
        return new OptimizerSpec(name, canonical, null, factory);
    }

    /**
     * A composite spec, as {@link #composite}, whose group rules {@code ruleCheck} checks before it is built, so
     * that an error quotes the rule (a wrapper checks them against its inner optimizer, a chain against its keys).
     */
    public static OptimizerSpec composite(String name, String canonical, Consumer<GroupRules> ruleCheck,
                                   Function<List<ParamGroup>, Optimizer> factory) {
        return new OptimizerSpec(name, canonical, ruleCheck, factory);
    }

    /** The registered name: the algorithm's, or the composite's ({@code chain}, {@code lookahead}, ...). */
    public String name() {
        return algorithm != null ? algorithm.name() : compositeName;
    }

    /** Whether this is a composite spec, which has no single {@link #algorithm()}. */
    public boolean isComposite() {
        return algorithm == null;
    }

    /** The algorithm, or null for a composite spec. */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** The complete hyperparameter values (a read-only copy, tuples included). */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(StateDict.copy(values));
    }

    /** An optimizer over {@code params} as a single group. */
    public Optimizer build(List<Param> params) {
        return buildGroups(List.of(ParamGroup.of(params)));
    }

    /**
     * An optimizer whose parameter groups are chosen by name with {@link GroupRules}, each rule written
     * {@code pattern: key=value, ...}; the common case is one rule:
     * <pre>
     *   Optimizers.parse("adamw(lr=1e-3)").build(store.params(), "bias|norm: weight_decay=0");
     * </pre>
     * Parameters no rule takes form the first group, with this spec's values. A wrapper
     * ({@code lookahead(adamw(...))}, {@code ema}, {@code swa}) hands the groups to the optimizer it wraps, so a
     * rule sets that optimizer's hyperparameters and is checked against its algorithm; the wrapper's own
     * settings hold for every parameter. A chain's keys are its transforms' hyperparameters.
     *
     * @throws IllegalArgumentException when a rule does not parse, gives a key this algorithm (a wrapper's inner
     *                                  algorithm, a chain's transforms) lacks or a bad value, or matches no parameter;
     *                                  the message quotes the rule
     */
    public Optimizer build(List<Param> params, String... groupRules) {
        return build(params, GroupRules.parse(groupRules));
    }

    /** An optimizer whose parameter groups are chosen by {@code rules}; see {@link #build(List, String...)}. */
    public Optimizer build(List<Param> params, GroupRules rules) {
        checkRules(rules);
        return buildGroups(rules.split(params));
    }

    /** Checks every rule's values against the algorithm (a wrapper's: its inner optimizer's), so that an error quotes the rule. */
    void checkRules(GroupRules rules) {
        if (!isComposite()) {
            rules.check(algorithm, values);
        } else if (ruleCheck != null) {
            ruleCheck.accept(rules);
        }
    }

    /** An optimizer over several groups, each overriding these values where it says. */
    public Optimizer buildGroups(List<ParamGroup> groups) {
        return isComposite() ? factory.apply(groups) : algorithm.create(values, groups);
    }

    /** The canonical spec with every value written out, which parses back to an equal configuration. */
    @Override
    public String toString() {
        return isComposite() ? canonical : algorithm.render(values);
    }
}
