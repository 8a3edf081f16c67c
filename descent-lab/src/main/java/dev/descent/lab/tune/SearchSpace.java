package dev.descent.lab.tune;

import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.spec.SpecSeq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search space: a spec in the grammar of DESIGN.md with distributions in place of some values, such as
 * {@code adam(lr=loguniform(1e-5, 1e-1), betas=(uniform(0.8, 0.99), 0.999))} or
 * {@code choice(sgd(lr=0.1), adam())}.
 *
 * <p>The distributions are {@code uniform(low, high)}, {@code loguniform(low, high)} (uniform in the
 * logarithm, low above 0), {@code intuniform(low, high)} (integers, both ends included) and
 * {@code choice(a, b, ...)} over numbers, strings, booleans, {@code none}, sequences or whole specs. Bounds
 * may also be written {@code low=}, {@code high=}. Options of a choice are concrete: a distribution inside
 * a choice (a conditional space) is refused. Inside a space the four names are reserved, and names that
 * look like another library's distribution ({@code normal}, {@code randint}, {@code loguniformm}, ...) are
 * refused with the list of these four.
 *
 * <p>Each distribution is a {@link Dimension} named by where it sits: {@code lr}, {@code betas[0]},
 * {@code adam.lr} inside {@code lookahead(adam(lr=...))}, {@code spec} for a space that is one choice.
 * {@link #render(double[])} substitutes values and writes the concrete spec text.
 */
public final class SearchSpace {
    /** The distribution names, in the order error messages list them. */
    static final List<String> DISTRIBUTIONS = List.of("choice", "uniform", "loguniform", "intuniform");

    /** Names other libraries use for distributions, refused with the list of ours instead of passing as specs. */
    private static final Set<String> FOREIGN = Set.of("normal", "lognormal", "qnormal", "qlognormal", "randint", "randn",
            "categorical", "choices", "oneof", "one_of", "int", "float", "range", "grid", "suggest_float", "suggest_int");

    /**
     * One distribution in the space.
     *
     * @param name         where it sits, for example {@code betas[0]}
     * @param distribution its distribution
     */
    public record Dimension(String name, Distribution distribution) {
    }

    private final String text;
    private final Object root;
    private final List<Dimension> dimensions;

    private SearchSpace(String text, Object root, List<Dimension> dimensions) {
        this.text = text;
        this.root = root;
        this.dimensions = Collections.unmodifiableList(dimensions);
    }

    /**
     * Parses a space.
     *
     * @param text the space, for example {@code adam(lr=loguniform(1e-5, 1e-1))}
     * @return the space
     * @throws IllegalArgumentException when the text does not parse, holds no distribution, names an
     *                                  unknown distribution or gives one bad bounds; the message is one line
     *                                  that quotes the space and names the value
     */
    public static SearchSpace parse(String text) {
        Spec root = SpecParser.parse(text);
        List<Dimension> dimensions = new ArrayList<>();
        try {
            collect(root, "", dimensions);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("space \"" + text + "\": " + e.getMessage(), e);
        }
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("space \"" + text + "\": no distribution in it; put one where a value goes, "
                    + "e.g. lr=loguniform(1e-5, 1e-1) (distributions: " + String.join(", ", DISTRIBUTIONS) + ")");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < dimensions.size(); i++) {
            Dimension d = dimensions.get(i);
            int n = seen.merge(d.name(), 1, Integer::sum);
            if (n > 1) {
                dimensions.set(i, new Dimension(d.name() + "#" + n, d.distribution()));
            }
        }
        return new SearchSpace(text.strip(), root, dimensions);
    }

    /** The space as given. */
    public String text() {
        return text;
    }

    /** The distributions in the order they appear in the text. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /**
     * The concrete spec text with {@code values[i]} in place of dimension i.
     *
     * @param values one value per dimension: the number, or the option's index for a choice
     * @return for example {@code adam(lr=0.00123, betas=(0.9, 0.999))}
     */
    public String render(double[] values) {
        if (values.length != dimensions.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dimensions.size() + " dimensions");
        }
        StringBuilder b = new StringBuilder();
        int next = render(root, values, 0, b);
        assert next == values.length;
        return b.toString();
    }

    /** The values by dimension name, as Java objects ({@code Double}, {@code Long} or the option). */
    public Map<String, Object> objects(double[] values) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < dimensions.size(); i++) {
            map.put(dimensions.get(i).name(), dimensions.get(i).distribution().object(values[i]));
        }
        return map;
    }

    @Override
    public String toString() {
        return text;
    }

    private static void collect(Object value, String path, List<Dimension> out) {
        if (value instanceof SpecSeq seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                collect(seq.items().get(i), path + "[" + i + "]", out);
            }
            return;
        }
        if (!(value instanceof Spec spec)) {
            return;
        }
        Distribution distribution = distribution(spec);
        if (distribution != null) {
            out.add(new Dimension(path.isEmpty() ? "spec" : path, distribution));
            return;
        }
        String key = spec.key();
        if (FOREIGN.contains(key) || key.contains("uniform") || key.contains("choice")) {
            throw new IllegalArgumentException(Names.unknown("distribution", spec.name(), DISTRIBUTIONS) + " (in " + spec.source() + ")");
        }
        String prefix = path.isEmpty() ? "" : path + ".";
        for (int i = 0; i < spec.positional().size(); i++) {
            Object arg = spec.positional().get(i);
            collect(arg, arg instanceof Spec inner && distribution(inner) == null ? prefix + inner.key()
                    : (path.isEmpty() ? spec.key() : path) + "[" + i + "]", out);
        }
        spec.named().forEach((k, v) -> collect(v, prefix + k, out));
    }

    /** The distribution {@code spec} names, or null when it is not one. */
    private static Distribution distribution(Spec spec) {
        String key = spec.key();
        if (!DISTRIBUTIONS.contains(key)) {
            return null;
        }
        try {
            if (key.equals("choice")) {
                if (!spec.named().isEmpty()) {
                    throw new IllegalArgumentException("takes only options, but got " + spec.named().keySet().iterator().next() + "=");
                }
                for (Object option : spec.positional()) {
                    List<Dimension> inner = new ArrayList<>();
                    collect(option, "", inner);
                    if (!inner.isEmpty()) {
                        throw new IllegalArgumentException("option " + Spec.render(option)
                                + " holds a distribution; the options of a choice must be concrete values");
                    }
                }
                return new Distribution.Choice(spec.positional());
            }
            Object[] bounds = bounds(spec);
            if (key.equals("intuniform")) {
                if (!(bounds[0] instanceof Long low) || !(bounds[1] instanceof Long high)) {
                    throw new IllegalArgumentException("the bounds must be integers");
                }
                return new Distribution.IntUniform(low, high);
            }
            if (!(bounds[0] instanceof Number low) || !(bounds[1] instanceof Number high)) {
                throw new IllegalArgumentException("the bounds must be numbers");
            }
            return new Distribution.Uniform(low.doubleValue(), high.doubleValue(), key.equals("loguniform"));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith(key + "(") ? message : spec.source() + ": " + message, e);
        }
    }

    /** The two bounds of {@code uniform}-like distributions, positional or {@code low=}/{@code high=}. */
    private static Object[] bounds(Spec spec) {
        Object[] bounds = new Object[2];
        List<Object> positional = spec.positional();
        if (positional.size() > 2) {
            throw new IllegalArgumentException("takes two bounds (low, high) but got " + positional.size() + " values");
        }
        for (int i = 0; i < positional.size(); i++) {
            bounds[i] = positional.get(i);
        }
        for (Map.Entry<String, Object> e : spec.named().entrySet()) {
            int index = switch (e.getKey()) {
                case "low" -> 0;
                case "high" -> 1;
                default -> throw new IllegalArgumentException(Names.unknown("key for " + spec.key(), e.getKey(), List.of("low", "high")));
            };
            if (bounds[index] != null) {
                throw new IllegalArgumentException(e.getKey() + " is given twice");
            }
            bounds[index] = e.getValue();
        }
        if (bounds[0] == null || bounds[1] == null) {
            throw new IllegalArgumentException("takes two bounds, e.g. " + spec.key() + "(1e-5, 1e-1)");
        }
        return bounds;
    }

    /** Writes {@code value} with distributions replaced by values from {@code index} on; returns the next index. */
    private int render(Object value, double[] values, int index, StringBuilder b) {
        if (value instanceof SpecSeq seq) {
            b.append(seq.brackets() ? '[' : '(');
            for (int i = 0; i < seq.items().size(); i++) {
                b.append(i == 0 ? "" : ", ");
                index = render(seq.items().get(i), values, index, b);
            }
            b.append(seq.brackets() ? ']' : ')');
            return index;
        }
        if (!(value instanceof Spec spec)) {
            b.append(Spec.render(value));
            return index;
        }
        if (DISTRIBUTIONS.contains(spec.key())) {
            b.append(dimensions.get(index).distribution().render(values[index]));
            return index + 1;
        }
        if (spec.positional().isEmpty() && spec.named().isEmpty()) {
            b.append(spec);
            return index;
        }
        b.append(spec.name()).append('(');
        boolean first = true;
        for (Object arg : spec.positional()) {
            b.append(first ? "" : ", ");
            first = false;
            index = render(arg, values, index, b);
        }
        for (Map.Entry<String, Object> e : spec.named().entrySet()) {
            b.append(first ? "" : ", ").append(e.getKey()).append('=');
            first = false;
            index = render(e.getValue(), values, index, b);
        }
        b.append(')');
        return index;
    }
}
