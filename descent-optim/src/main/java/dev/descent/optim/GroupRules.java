package dev.descent.optim;

import dev.descent.optim.spec.SpecException;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.spec.SpecSeq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ordered rules that split named parameters into {@link ParamGroup}s by name, each rule overriding
 * hyperparameters for the parameters it takes.
 *
 * <p>A rule is written {@code pattern: key=value, key=value}, for example
 * {@code bias|norm: weight_decay=0} or {@code embed: lr=0.01, betas=(0.9, 0.99)}:
 * <ul>
 *   <li>{@code pattern} is a Java regular expression found anywhere in the parameter name
 *       ({@link java.util.regex.Matcher#find()}), matched <b>case-insensitively</b>, like every name in a
 *       spec, so that {@code norm} also takes {@code LayerNorm.weight}; start it with {@code (?-i)} to
 *       match case-sensitively, anchor it with {@code ^} or {@code $} ({@code \.bias$}) to match whole
 *       name parts. The pattern ends at the first {@code :} outside parentheses, brackets and escapes,
 *       so {@code (?:a|b)} and {@code [:]} may appear in it.</li>
 *   <li>the values follow the spec grammar (numbers, {@code true}/{@code false}, tuples such as
 *       {@code (0.9, 0.99)}); keys are the optimizer's hyperparameter names, checked when an optimizer
 *       is built (an unknown key gets a "did you mean"). A rule may give no values at all
 *       ({@code head:}), which makes a group with the optimizer's own values, for example to give it a
 *       schedule of its own later.</li>
 * </ul>
 * The first matching rule takes a parameter. Parameters that no rule takes form the default group, which
 * comes first, as PyTorch users usually write their groups; then one group per rule in rule order.
 * Parameters keep their order within each group. Empty groups are left out (the default group when
 * every parameter matched, a rule whose parameters an earlier rule took), but a rule whose pattern
 * matches no parameter name at all is an error, since it is almost always a typo.
 *
 * <pre>
 *   // AdamW with no weight decay on biases and normalization parameters, the common case:
 *   Optimizer opt = Optimizers.parse("adamw(lr=1e-3, weight_decay=0.01)")
 *           .build(store.params(), GroupRules.NO_DECAY_ON_BIAS_AND_NORM);
 *
 *   // several rules, the first match wins:
 *   Optimizer opt2 = Optimizers.parse("sgd(lr=0.1, momentum=0.9, weight_decay=5e-4)")
 *           .build(store.params(), "\\.bias$: weight_decay=0, lr=0.2", "norm: weight_decay=0");
 *
 *   // the groups themselves, to adjust before building:
 *   List&lt;ParamGroup&gt; groups = GroupRules.parse("bias|norm: weight_decay=0").split(store.params());
 * </pre>
 * On the command line the same rules are given with a repeatable {@code --group RULE}.
 */
public final class GroupRules {
    /** The rule of the common case: no weight decay on biases and normalization parameters. */
    public static final String NO_DECAY_ON_BIAS_AND_NORM = "bias|norm: weight_decay=0";

    /** How many parameter names an error lists at most. */
    private static final int NAMES_SHOWN = 20;

    private static final GroupRules NONE = new GroupRules(List.of());

    private final List<Rule> rules;

    private GroupRules(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * One parsed rule.
     *
     * @param text the rule as written
     * @param pattern the compiled pattern (case-insensitive unless it says {@code (?-i)})
     * @param overrides the values by lower-cased key, in the order written; tuples are lists of numbers
     */
    public record Rule(String text, Pattern pattern, Map<String, Object> overrides) {
        /** Whether this rule takes a parameter of the given name. */
        public boolean matches(String name) {
            return pattern.matcher(name).find();
        }
    }

    /** No rules: every parameter in one group. */
    public static GroupRules none() {
        return NONE;
    }

    /**
     * Parses rules written {@code pattern: key=value, ...}, in order.
     *
     * @throws IllegalArgumentException when a rule has no {@code :}, an empty or invalid pattern, or values
     *                                  that do not parse; the message quotes the rule
     */
    public static GroupRules parse(String... rules) {
        return parse(List.of(rules));
    }

    /** Parses rules written {@code pattern: key=value, ...}, in order; see {@link #parse(String...)}. */
    public static GroupRules parse(List<String> rules) {
        List<Rule> parsed = new ArrayList<>(rules.size());
        for (String rule : rules) {
            parsed.add(parseRule(rule));
        }
        return parsed.isEmpty() ? NONE : new GroupRules(List.copyOf(parsed));
    }

    private static Rule parseRule(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a group rule is null; write pattern: key=value, e.g. \""
                    + NO_DECAY_ON_BIAS_AND_NORM + "\"");
        }
        int colon = patternEnd(text);
        if (colon < 0) {
            throw bad(text, "expected pattern: key=value, e.g. \"" + NO_DECAY_ON_BIAS_AND_NORM
                    + "\", but found no ':' after the pattern");
        }
        String regex = text.substring(0, colon).strip();
        if (regex.isEmpty()) {
            throw bad(text, "the pattern before ':' is empty; write a regular expression such as bias|norm");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw bad(text, "the pattern '" + regex + "' is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        SpecParser.parseNamed(text, colon + 1, "group rule")
                .forEach((k, v) -> overrides.put(k, v instanceof SpecSeq ? ((SpecSeq) v).items() : v));
        return new Rule(text, pattern, Collections.unmodifiableMap(overrides));
    }

    /** The offset of the first ':' outside parentheses, character classes and escapes, or -1. */
    private static int patternEnd(String text) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ':' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static IllegalArgumentException bad(String rule, String detail) {
        return new SpecException("group rule \"" + rule + "\": " + detail);
    }

    /** The rules, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /** Whether there are no rules. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Splits parameters into groups: the parameters no rule takes first, then one group per rule that took
     * any, each with its rule's overrides (validated when an optimizer adopts the groups).
     *
     * @throws IllegalArgumentException when {@code params} is empty, or a rule's pattern matches no
     *                                  parameter name; the message quotes the rule and lists the names
     */
    public List<ParamGroup> split(List<Param> params) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("no parameters to split into groups");
        }
        List<Param> rest = new ArrayList<>();
        List<List<Param>> taken = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            taken.add(new ArrayList<>());
        }
        boolean[] matchedAny = new boolean[rules.size()];
        for (Param p : params) {
            int owner = -1;
            for (int r = 0; r < rules.size(); r++) {
                if (rules.get(r).matches(p.name())) {
                    matchedAny[r] = true;
                    if (owner < 0) {
                        owner = r;
                    }
                }
            }
            (owner < 0 ? rest : taken.get(owner)).add(p);
        }
        for (int r = 0; r < rules.size(); r++) {
            if (!matchedAny[r]) {
                throw new IllegalArgumentException("group rule \"" + rules.get(r).text() + "\": the pattern '"
                        + rules.get(r).pattern().pattern() + "' matches no parameter name; the names are " + names(params));
            }
        }
        List<ParamGroup> groups = new ArrayList<>();
        if (!rest.isEmpty()) {
            groups.add(ParamGroup.of(rest));
        }
        for (int r = 0; r < rules.size(); r++) {
            if (!taken.get(r).isEmpty()) {
                ParamGroup g = ParamGroup.of(taken.get(r));
                for (Map.Entry<String, Object> e : rules.get(r).overrides().entrySet()) {
                    g = g.with(e.getKey(), e.getValue());
                }
                groups.add(g);
            }
        }
        return groups;
    }

    /**
     * Checks every rule's values against an optimizer's algorithm and values, so that an error names the rule.
     *
     * @throws IllegalArgumentException for an unknown key (with the closest valid one) or a bad value
     */
    public void check(Algorithm algorithm, Map<String, ?> defaults) {
        for (Rule rule : rules) {
            try {
                algorithm.resolve(defaults, rule.overrides());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("group rule \"" + rule.text() + "\": " + e.getMessage(), e);
            }
        }
    }

    private static String names(List<Param> params) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.min(NAMES_SHOWN, params.size()); i++) {
            names.add(params.get(i).name());
        }
        return String.join(", ", names) + (params.size() > NAMES_SHOWN
                ? ", ... (" + (params.size() - NAMES_SHOWN) + " more)" : "");
    }

    /** The rules as written, separated by {@code ; }. */
    @Override
    public String toString() {
        List<String> texts = new ArrayList<>();
        rules.forEach(r -> texts.add(r.text()));
        return String.join("; ", texts);
    }
}
