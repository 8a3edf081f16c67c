package dev.descent.optim;

import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoublePredicate;

/**
 * The declaration of one hyperparameter of an algorithm: its PyTorch name, its kind, its default and
 * the rule a valid value obeys.
 *
 * <p>Values are held as {@code Double} (real), {@code Boolean} (flag), {@code double[]} (a tuple of
 * reals such as Adam's {@code betas}), {@code Long} (integer, as L-BFGS's {@code max_iter}) and
 * {@code String} (one of a few words, as L-BFGS's {@code line_search_fn}) and {@link Spec} (a nested spec, as
 * {@code scale_by_schedule}'s schedule); integers and words may also be allowed to be {@link Spec#NONE}. A declaration without a default is required, as SGD's {@code lr}.
 */
public final class Hyperparameter {
    /** What kind of value a hyperparameter holds. */
    public enum Kind { REAL, FLAG, REALS, INTEGER, CHOICE, SPEC }

    private final String name;
    private final Kind kind;
    private final Object defaultValue;
    private final int arity;
    private final DoublePredicate rule;
    private final String ruleText;
    private final boolean noneAllowed;
    private final List<String> choices;
    private final Consumer<Spec> specRule;

    private Hyperparameter(String name, Kind kind, Object defaultValue, int arity, DoublePredicate rule, String ruleText) {
        this(name, kind, defaultValue, arity, rule, ruleText, false, List.of(), null);
    }

    private Hyperparameter(String name, Kind kind, Object defaultValue, int arity, DoublePredicate rule, String ruleText,
                           boolean noneAllowed, List<String> choices, Consumer<Spec> specRule) {
        this.name = name;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.arity = arity;
        this.rule = rule;
        this.ruleText = ruleText;
        this.noneAllowed = noneAllowed;
        this.choices = choices;
        this.specRule = specRule;
    }

    /** A real number with a default, valid when {@code rule} holds; {@code ruleText} says the rule, as "must be >= 0". */
    public static Hyperparameter real(String name, double defaultValue, DoublePredicate rule, String ruleText) {
        return new Hyperparameter(name, Kind.REAL, defaultValue, 1, rule, ruleText);
    }

    /** A required real number (no default). */
    public static Hyperparameter requiredReal(String name, DoublePredicate rule, String ruleText) {
        return new Hyperparameter(name, Kind.REAL, null, 1, rule, ruleText);
    }

    /** A boolean switch. */
    public static Hyperparameter flag(String name, boolean defaultValue) {
        return new Hyperparameter(name, Kind.FLAG, defaultValue, 1, x -> true, "");
    }

    /** A tuple of reals, each valid when {@code rule} holds. */
    public static Hyperparameter reals(String name, double[] defaultValue, DoublePredicate rule, String ruleText) {
        return new Hyperparameter(name, Kind.REALS, defaultValue.clone(), defaultValue.length, rule, ruleText);
    }

    /** An integer of at least {@code min}; an integral real such as {@code 20.0} is accepted. */
    public static Hyperparameter integer(String name, long defaultValue, long min) {
        return new Hyperparameter(name, Kind.INTEGER, defaultValue, 1, x -> x >= min, "must be an integer >= " + min);
    }

    /** A required integer of at least {@code min} (no default). */
    public static Hyperparameter requiredInteger(String name, long min) {
        return new Hyperparameter(name, Kind.INTEGER, null, 1, x -> x >= min, "must be an integer >= " + min);
    }

    /** An integer of at least {@code min} or {@code none}, which is the default (the algorithm decides what none means). */
    public static Hyperparameter integerOrNone(String name, long min) {
        return new Hyperparameter(name, Kind.INTEGER, Spec.NONE, 1, x -> x >= min, "must be none or an integer >= " + min,
                true, List.of(), null);
    }

    /**
     * One of a few words, matched case-insensitively and held as written in {@code choices}; with a null
     * default the value may also be {@code none}, which is then the default.
     */
    public static Hyperparameter choice(String name, String defaultValue, String... choices) {
        boolean none = defaultValue == null;
        List<String> words = List.of(choices);
        String text = "must be " + (none ? "none or " : "") + "one of " + words.stream().map(Spec::render).toList();
        return new Hyperparameter(name, Kind.CHOICE, none ? Spec.NONE : defaultValue, 1, x -> true, text, none, words, null);
    }

    /**
     * A required nested spec, such as a schedule, held as a {@link Spec} (text is parsed); {@code rule} throws
     * IllegalArgumentException saying what is wrong with a spec, and {@code ruleText} says what is expected.
     */
    public static Hyperparameter spec(String name, Consumer<Spec> rule, String ruleText) {
        return new Hyperparameter(name, Kind.SPEC, null, 1, x -> true, ruleText, false, List.of(), rule);
    }

    /** The Adam family's {@code betas}: the two moments' decay rates, each in [0, 1). */
    public static Hyperparameter betas(double beta1, double beta2) {
        return reals("betas", new double[] {beta1, beta2}, x -> x >= 0 && x < 1, "must be in [0, 1)");
    }

    /** A real that must be finite and at least zero, the most common rule. */
    public static Hyperparameter nonNegative(String name, double defaultValue) {
        return real(name, defaultValue, x -> x >= 0, "must be >= 0");
    }

    /**
     * The same declaration (kind, default, rule) under another name, as a chain of transforms exposes a
     * transform's hyperparameter under a qualified key such as {@code scale_by_adam.eps}.
     */
    public Hyperparameter renamed(String newName) {
        return new Hyperparameter(newName, kind, defaultValue, arity, rule, ruleText, noneAllowed, choices, specRule);
    }

    /** The PyTorch name. */
    public String name() {
        return name;
    }

    /** The kind of value. */
    public Kind kind() {
        return kind;
    }

    /** Whether the value must be given. */
    public boolean required() {
        return defaultValue == null;
    }

    /** The default (a fresh copy for tuples), or null when required. */
    public Object defaultValue() {
        return defaultValue instanceof double[] ? ((double[]) defaultValue).clone() : defaultValue;
    }

    /**
     * Converts and checks a value for this hyperparameter.
     *
     * @param owner the algorithm name, for the message
     * @param value a Number, Boolean, double[] or {@code List<Number>}
     * @return the canonical value (Double, Boolean or a fresh double[])
     * @throws IllegalArgumentException naming the key, the value and the rule it broke
     */
    public Object check(String owner, Object value) {
        if (noneAllowed && (value == null || value == Spec.NONE)) {
            return Spec.NONE;
        }
        switch (kind) {
            case INTEGER: {
                double x = value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
                if (Double.isNaN(x) || x != Math.rint(x) || Math.abs(x) >= 0x1p53) {
                    throw invalid(owner, value, ruleText);
                }
                checkReal(owner, value, x);
                return (long) x;
            }
            case CHOICE: {
                String word = value instanceof String ? (String) value
                        : value instanceof Spec && ((Spec) value).positional().isEmpty() && ((Spec) value).named().isEmpty()
                        ? ((Spec) value).name() : null;
                for (String c : choices) {
                    if (c.equalsIgnoreCase(word)) {
                        return c;
                    }
                }
                throw invalid(owner, value, ruleText);
            }
            case SPEC: {
                Spec spec;
                try {
                    spec = value instanceof Spec ? (Spec) value : value instanceof String ? SpecParser.parse((String) value) : null;
                } catch (IllegalArgumentException e) {
                    throw invalid(owner, value, e.getMessage());
                }
                if (spec == null) {
                    throw invalid(owner, value, ruleText);
                }
                try {
                    specRule.accept(spec);
                } catch (IllegalArgumentException e) {
                    throw invalid(owner, value, e.getMessage());
                }
                return spec;
            }
            case FLAG:
                if (value instanceof Boolean) {
                    return value;
                }
                throw invalid(owner, value, "must be true or false");
            case REAL:
                if (!(value instanceof Number)) {
                    throw invalid(owner, value, "must be a number");
                }
                double x = ((Number) value).doubleValue();
                checkReal(owner, value, x);
                return x;
            default:
                double[] xs = toReals(value);
                if (xs == null || xs.length != arity) {
                    throw invalid(owner, value, "must be a tuple of " + arity + " numbers like " + render(defaultValue));
                }
                for (int i = 0; i < xs.length; i++) {
                    if (Double.isNaN(xs[i]) || !rule.test(xs[i])) {
                        throw new IllegalArgumentException(owner + ": " + name + "=" + render(value)
                                + " is invalid: element " + i + " (" + render(xs[i]) + ") " + ruleText);
                    }
                }
                return xs;
        }
    }

    private void checkReal(String owner, Object shown, double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            throw invalid(owner, shown, "must be a finite number");
        }
        if (!rule.test(x)) {
            throw invalid(owner, shown, ruleText);
        }
    }

    private IllegalArgumentException invalid(String owner, Object value, String why) {
        return new IllegalArgumentException(owner + ": " + name + "=" + render(value) + " is invalid: " + why);
    }

    private static double[] toReals(Object value) {
        if (value instanceof double[]) {
            return ((double[]) value).clone();
        }
        if (value instanceof java.util.List) {
            java.util.List<?> list = (java.util.List<?>) value;
            double[] xs = new double[list.size()];
            for (int i = 0; i < xs.length; i++) {
                if (!(list.get(i) instanceof Number)) {
                    return null;
                }
                xs[i] = ((Number) list.get(i)).doubleValue();
            }
            return xs;
        }
        return null;
    }

    /** Writes a hyperparameter value the way the spec grammar reads it back; tuples as {@code (0.9, 0.999)}. */
    public static String render(Object value) {
        if (value instanceof double[]) {
            java.util.List<Object> items = new java.util.ArrayList<>();
            for (double x : (double[]) value) {
                items.add(x);
            }
            String list = Spec.render(items);
            return "(" + list.substring(1, list.length() - 1) + ")";
        }
        if (value instanceof java.util.List) {
            String list = Spec.render(value);
            return "(" + list.substring(1, list.length() - 1) + ")";
        }
        return Spec.render(value);
    }

    @Override
    public String toString() {
        return name + "=" + (required() ? "<required>" : render(defaultValue)) + (ruleText.isEmpty() ? "" : " (" + ruleText + ")");
    }

}
