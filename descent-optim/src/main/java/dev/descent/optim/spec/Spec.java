package dev.descent.optim.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable parsed spec node {@code name(args...)}, such as {@code adam(lr=0.001, betas=(0.9, 0.999))}.
 *
 * <p>Names and keys are case-insensitive: {@link #key()} is the lower-cased name, and the keys of
 * {@link #named()} are lower-cased. {@code name} and {@code name()} are the same spec. Argument values are
 * represented as follows:
 * <ul>
 *   <li>an integer literal without {@code .} or exponent ({@code 5}, {@code -3}) is a {@link Long};</li>
 *   <li>any other number ({@code 0.5}, {@code .5}, {@code 5.}, {@code 1e-3}, {@code -2.5E+4}) and
 *       {@code inf}, {@code +inf}, {@code -inf} are a {@link Double} ({@code nan} is rejected);</li>
 *   <li>{@code true} and {@code false}, in any case, are a {@link Boolean};</li>
 *   <li>{@code none} and {@code null}, in any case, are the singleton {@link #NONE};</li>
 *   <li>a quoted string {@code '...'} or {@code "..."} (escapes {@code \\ \' \" \n \t}) is a {@link String};</li>
 *   <li>{@code ( ... )} or {@code [ ... ]} is a {@link SpecSeq};</li>
 *   <li>a name, optionally followed by {@code ( args )}, is a nested {@code Spec}. A bare keyword
 *       ({@code true}, {@code none}, {@code inf}, ...) is the literal; followed by {@code (} it is a spec.</li>
 * </ul>
 * Equality compares {@link #key()}, {@link #positional()} and {@link #named()}, not the source text.
 */
public final class Spec {
    /** The value of {@code none} or {@code null} in a spec; its {@code toString()} is {@code "none"}. */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "none";
        }
    };

    /** Lower-cased names that parse as literals when written without parentheses. */
    static final Set<String> KEYWORDS = Set.of("true", "false", "none", "null", "inf", "nan");

    private final String name;
    private final String key;
    private final List<Object> positional;
    private final Map<String, Object> named;
    private final String source;
    private final int position;

    Spec(String name, List<Object> positional, Map<String, Object> named, String source, int position) {
        this.name = Objects.requireNonNull(name);
        this.key = name.toLowerCase(Locale.ROOT);
        this.positional = List.copyOf(positional);
        this.named = Collections.unmodifiableMap(new LinkedHashMap<>(named));
        this.source = source;
        this.position = position;
    }

    /**
     * Returns the name as written, for example {@code Adam}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the name lower-cased, the form to look names up by.
     *
     * @return the lower-cased name
     */
    public String key() {
        return key;
    }

    /**
     * Returns the positional arguments in source order; see the class comment for the value types.
     *
     * @return an unmodifiable list
     */
    public List<Object> positional() {
        return positional;
    }

    /**
     * Returns the named arguments in source order, keyed by the lower-cased key.
     *
     * @return an unmodifiable map with source iteration order
     */
    public Map<String, Object> named() {
        return named;
    }

    /**
     * Returns the exact source text of this node, a substring of the parsed input.
     *
     * @return the source text
     */
    public String source() {
        return source;
    }

    /**
     * Returns the 0-based offset of this node in the whole parsed input.
     *
     * @return the offset
     */
    public int position() {
        return position;
    }

    /**
     * Renders this spec canonically, so that parsing the result gives an equal spec.
     *
     * @return for example {@code adam(lr=0.001, betas=(0.9, 0.999))}
     */
    @Override
    public String toString() {
        if (positional.isEmpty() && named.isEmpty()) {
            return KEYWORDS.contains(key) ? name + "()" : name;
        }
        List<String> args = new ArrayList<>();
        for (Object v : positional) {
            args.add(render(v));
        }
        named.forEach((k, v) -> args.add(k + "=" + render(v)));
        return name + "(" + String.join(", ", args) + ")";
    }

    /**
     * Compares the lower-cased name and the arguments; source text and position are ignored.
     *
     * @param o the other object
     * @return whether {@code o} is an equal spec
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Spec s && key.equals(s.key) && positional.equals(s.positional)
                && named.equals(s.named);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(key, positional, named);
    }

    /**
     * Renders a spec value in spec syntax, for canonical text and error messages.
     *
     * <p>Numbers use {@code Long.toString}/{@code Double.toString} with {@code inf}/{@code -inf}, strings are
     * double-quoted with {@code \"}, {@code \\}, {@code \n}, {@code \t} escaped, a {@link SpecSeq} keeps its
     * brackets, {@code null} and {@link #NONE} are {@code none}, and a Java collection renders as a list.
     *
     * @param value a parsed value (or a boxed number, boolean, string or collection)
     * @return the text, for example {@code (0.9, 0.999)}
     */
    public static String render(Object value) {
        if (value == null || value == NONE) {
            return "none";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : value.toString();
        }
        if (value instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + '"';
        }
        if (value instanceof SpecSeq seq) {
            return join(seq.items(), seq.brackets() ? "[" : "(", seq.brackets() ? "]" : ")");
        }
        if (value instanceof Collection<?> c) {
            return join(c, "[", "]");
        }
        return value.toString();
    }

    private static String join(Collection<?> items, String open, String close) {
        StringBuilder b = new StringBuilder(open);
        for (Iterator<?> it = items.iterator(); it.hasNext(); ) {
            b.append(render(it.next())).append(it.hasNext() ? ", " : "");
        }
        return b.append(close).toString();
    }
}
