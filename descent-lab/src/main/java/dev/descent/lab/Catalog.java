package dev.descent.lab;

import dev.descent.optim.Algorithm;
import dev.descent.optim.Hyperparameter;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.optim.problem.Problem;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.transform.Transform;
import dev.descent.optim.transform.Transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What {@code descent list} prints: every name a spec may use (transforms too, for {@code chain(...)}), one per line,
 * as {@code kind text} where the
 * text is the spec with every hyperparameter and its default ({@code <required>} where there is none).
 *
 * <p>Everything is read from the registries, so names added later appear without anyone touching this class.
 * Algorithms describe themselves ({@link Algorithm#hyperparameters()}); an alias is shown as the values it
 * sets; composites and schedules, which have no such table, are described by example: the name alone is
 * parsed, and when a value is missing the error's {@code e.g. ...} example supplies it, until the spec
 * builds. Its canonical text then shows every default, and a key is marked required when leaving it out of
 * the example fails. A positional argument that is itself an optimizer (a schedule, for schedules) shows as
 * {@code <optimizer>} ({@code <schedule>}); any other is shown as the example wrote it. So a composite or
 * schedule added later is listed as long as its "missing value" errors carry an {@code e.g.} example, as
 * the registries' errors do; one that cannot be built this way is listed as "not described", which
 * ListCommandTest rejects.
 */
final class Catalog {
    private static final Pattern KEYED = Pattern.compile("^\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=.*", Pattern.DOTALL);
    private static final int ATTEMPTS = 10;

    private Catalog() {
    }

    /** One line per optimizer name: {@code optimizer}, {@code alias} or {@code composite}, then its spec. */
    static List<String> optimizers() {
        List<String> out = new ArrayList<>();
        for (String name : Optimizers.names()) {
            Algorithm algorithm;
            try {
                algorithm = Optimizers.algorithm(name);
            } catch (IllegalArgumentException notAnAlgorithm) {
                out.add(line("composite", byExample(name, Optimizers::parse, "<optimizer>")));
                continue;
            }
            out.add(algorithm.name().equals(name) ? line("optimizer", describe(algorithm)) : line("alias", alias(name, algorithm)));
        }
        return out;
    }

    /**
     * One line per gradient transformation, {@code transform name(key=default, ...)} (just the name when it has no
     * hyperparameters): what {@code chain(...)} takes. A schedule argument shows as {@code <schedule>}.
     */
    static List<String> transforms() {
        List<String> out = new ArrayList<>();
        for (String name : Transforms.names()) {
            Transform t = Transforms.get(name);
            // the only spec-valued argument of a transform is scale_by_schedule's schedule
            out.add(line("transform", t.hyperparameters().isEmpty() ? name
                    : describe(name, t.hyperparameters()).replace("schedule=<required>", "schedule=<schedule>")));
        }
        return out;
    }

    /** One line per schedule name. */
    static List<String> schedules() {
        List<String> out = new ArrayList<>();
        for (String name : Schedules.names()) {
            out.add(line("schedule", byExample(name, Schedules::parse, "<schedule>")));
        }
        return out;
    }

    /** One line per test problem, with its default starting point. */
    static List<String> problems() {
        List<String> out = new ArrayList<>();
        for (Problem p : Problem.values()) {
            out.add(line("problem", p.id() + "(init=" + Hyperparameter.render(toDoubles(p.defaultInit())) + ")"));
        }
        return out;
    }

    private static String line(String kind, String text) {
        return String.format(Locale.ROOT, "%-9s %s", kind, text);
    }

    private static double[] toDoubles(float[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = Double.parseDouble(Float.toString(xs[i]));
        }
        return out;
    }

    /** {@code name(key=default, ...)} in declaration order. */
    private static String describe(Algorithm algorithm) {
        return describe(algorithm.name(), algorithm.hyperparameters());
    }

    private static String describe(String name, List<Hyperparameter> hyperparameters) {
        List<String> args = new ArrayList<>();
        for (Hyperparameter h : hyperparameters) {
            args.add(h.name() + "=" + (h.required() ? "<required>" : Hyperparameter.render(h.defaultValue())));
        }
        return name + "(" + String.join(", ", args) + ")";
    }

    /** {@code alias = algorithm(the values the alias sets)}, found by comparing the alias with the plain algorithm. */
    private static String alias(String name, Algorithm algorithm) {
        List<String> required = new ArrayList<>();
        for (Hyperparameter h : algorithm.hyperparameters()) {
            if (h.required()) {
                required.add(h.name() + "=1");
            }
        }
        String fill = "(" + String.join(", ", required) + ")";
        Map<String, Object> plain = Optimizers.parse(algorithm.name() + fill).values();
        Map<String, Object> aliased = Optimizers.parse(name + fill).values();
        List<String> set = new ArrayList<>();
        aliased.forEach((k, v) -> {
            if (!Objects.equals(Hyperparameter.render(v), Hyperparameter.render(plain.get(k)))) {
                set.add(k + "=" + Hyperparameter.render(v));
            }
        });
        return name + " = " + algorithm.name() + "(" + String.join(", ", set) + ")";
    }

    /** A spec built from the examples its errors give: the arguments used, and what the parse returned (null if none). */
    record Example(List<String> args, Object built, String failure) {
    }

    /** Builds {@code name} with {@code parse}, taking each missing value from the error's {@code e.g.} example. */
    static Example build(String name, Function<String, ?> parse) {
        List<String> args = new ArrayList<>();
        String failure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return new Example(args, parse.apply(spec(name, args)), null);
            } catch (IllegalArgumentException e) {
                failure = e.getMessage();
                String example = example(failure);
                if (example == null || !merge(args, arguments(example))) {
                    break;
                }
            }
        }
        return new Example(args, null, failure);
    }

    /**
     * Describes {@code name} by building it from the examples its errors give; see the class comment. A name
     * that cannot be built that way is listed with the reason.
     */
    static String byExample(String name, Function<String, ?> parse, String nested) {
        Example example = build(name, parse);
        List<String> args = example.args();
        Object built = example.built();
        if (built == null) {
            return name + "(...)  (not described: " + Main.oneLine(example.failure()) + ")";
        }
        List<String> required = new ArrayList<>();
        for (String arg : args) {
            if (KEYED.matcher(arg).matches()) {
                List<String> without = new ArrayList<>(args);
                without.remove(arg);
                try {
                    parse.apply(spec(name, without));
                } catch (IllegalArgumentException e) {
                    required.add(key(arg));
                }
            }
        }
        List<String> shown = new ArrayList<>();
        for (String arg : arguments(built.toString())) {
            if (!KEYED.matcher(arg).matches()) {
                shown.add(parses(parse, arg) ? nested : arg);
            } else {
                shown.add(required.contains(key(arg)) ? arg.substring(0, arg.indexOf('=')).strip() + "=<required>" : arg);
            }
        }
        String canonical = built instanceof OptimizerSpec s ? s.name() : built.toString().replaceFirst("\\(.*", "");
        return canonical + "(" + String.join(", ", shown) + ")";
    }

    private static boolean parses(Function<String, ?> parse, String text) {
        try {
            parse.apply(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String spec(String name, List<String> args) {
        return args.isEmpty() ? name : name + "(" + String.join(", ", args) + ")";
    }

    private static String key(String arg) {
        return arg.substring(0, arg.indexOf('=')).strip().toLowerCase(Locale.ROOT);
    }

    /** Adds the example's arguments that {@code args} lacks; returns whether anything was added. */
    private static boolean merge(List<String> args, List<String> example) {
        Map<String, String> keyed = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (String a : args) {
            if (KEYED.matcher(a).matches()) {
                keyed.put(key(a), a);
            } else {
                positional.add(a);
            }
        }
        boolean changed = false;
        if (positional.isEmpty()) {
            for (String a : example) {
                if (!KEYED.matcher(a).matches()) {
                    positional.add(a);
                    changed = true;
                }
            }
        }
        for (String a : example) {
            if (KEYED.matcher(a).matches() && !keyed.containsKey(key(a))) {
                keyed.put(key(a), a);
                changed = true;
            }
        }
        args.clear();
        args.addAll(positional);
        args.addAll(keyed.values());
        return changed;
    }

    /** The spec after the last {@code e.g. } of a message, up to its closing parenthesis, or null. */
    static String example(String message) {
        int at = message == null ? -1 : message.lastIndexOf("e.g. ");
        if (at < 0) {
            return null;
        }
        int start = at + 5;
        int open = message.indexOf('(', start);
        if (open < 0) {
            return null;
        }
        int depth = 0;
        for (int i = open; i < message.length(); i++) {
            char c = message.charAt(i);
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
            if (depth == 0) {
                return message.substring(start, i + 1);
            }
        }
        return null;
    }

    /** The top-level arguments of {@code name(a, b, key=value)}, as written. */
    static List<String> arguments(String spec) {
        List<String> out = new ArrayList<>();
        int open = spec.indexOf('(');
        if (open < 0) {
            return out;
        }
        int depth = 0;
        char quote = 0;
        int from = open + 1;
        for (int i = open + 1; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            } else if (depth == 0 && (c == ',' || c == ')')) {
                String arg = spec.substring(from, i).strip();
                if (!arg.isEmpty()) {
                    out.add(arg);
                }
                from = i + 1;
                if (c == ')') {
                    break;
                }
            }
        }
        return out;
    }
}
