package dev.descent.optim;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A validated optimizer configuration: an algorithm and complete hyperparameter values, ready to build
 * optimizers over parameters. Made by {@link Optimizers#parse(String)}.
 */
public final class OptimizerSpec {
    private final Algorithm algorithm;
    private final Map<String, Object> values;

    OptimizerSpec(Algorithm algorithm, Map<String, Object> values) {
        this.algorithm = algorithm;
        this.values = values;
    }

    /** The algorithm. */
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
     * Parameters no rule takes form the first group, with this spec's values.
     *
     * @throws IllegalArgumentException when a rule does not parse, gives a key this algorithm lacks or a bad
     *                                  value, or matches no parameter; the message quotes the rule
     */
    public Optimizer build(List<Param> params, String... groupRules) {
        return build(params, GroupRules.parse(groupRules));
    }

    /** An optimizer whose parameter groups are chosen by {@code rules}; see {@link #build(List, String...)}. */
    public Optimizer build(List<Param> params, GroupRules rules) {
        rules.check(algorithm, values);
        return buildGroups(rules.split(params));
    }

    /** An optimizer over several groups, each overriding these values where it says. */
    public Optimizer buildGroups(List<ParamGroup> groups) {
        return algorithm.create(values, groups);
    }

    /** The canonical spec with every value written out, which parses back to an equal configuration. */
    @Override
    public String toString() {
        return algorithm.render(values);
    }
}
