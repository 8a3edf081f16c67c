package dev.descent.optim.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parser for the spec grammar of DESIGN.md, turning text such as {@code adam(lr=0.001, amsgrad=true)}
 * into a {@link Spec}.
 *
 * <pre>
 * spec   = name [ "(" [ arg { "," arg } ] ")" ]
 * arg    = value | key "=" value          (positional arguments come first)
 * value  = number | bool | none | string | seq | spec
 * </pre>
 * Names and keys are identifiers {@code [A-Za-z_][A-Za-z0-9_.]*}; whitespace may appear between any two
 * tokens; trailing commas are not allowed. Every error is a {@link SpecException}.
 */
public final class SpecParser {
    private final String label;
    private final String text;
    private final int end;
    private int pos;

    private SpecParser(String text, int start, int end) {
        this("spec", text, start, end);
    }

    private SpecParser(String label, String text, int start, int end) {
        this.label = label;
        this.text = text;
        this.pos = start;
        this.end = end;
    }

    /**
     * Parses exactly one spec; anything after it other than whitespace is an error.
     *
     * @param text the spec text, for example {@code steplr(step_size=10, gamma=0.5)}
     * @return the parsed spec, whose positions are offsets in {@code text}
     * @throws SpecException if the text is empty or not a valid spec
     */
    public static Spec parse(String text) {
        String t = text == null ? "" : text;
        return new SpecParser(t, 0, t.length()).whole();
    }

    /**
     * Parses a list of specs separated by {@code separator} at the top level, such as
     * {@code sgd(lr=0.01); adam(lr=1e-3)}.
     *
     * <p>Separators inside parentheses, brackets or quotes do not split; empty items (a trailing
     * separator, say) are skipped. Positions in the specs and in errors are offsets in the whole text.
     *
     * @param text the list text
     * @param separator the separator, for example {@code ';'}
     * @return the specs in order, possibly none
     * @throws SpecException if an item is not a valid spec
     */
    public static List<Spec> parseList(String text, char separator) {
        if ("()[]'\"\\".indexOf(separator) >= 0 || Character.isWhitespace(separator)) {
            throw new IllegalArgumentException("cannot split specs on '" + separator + "'");
        }
        String t = text == null ? "" : text;
        List<Spec> specs = new ArrayList<>();
        int depth = 0;
        int start = 0;
        char quote = 0;
        for (int i = 0; i <= t.length(); i++) {
            char c = i < t.length() ? t.charAt(i) : separator;
            if (quote != 0 && i < t.length()) {
                if (c == '\\' && i + 1 < t.length()) {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth = Math.max(0, depth - 1);
            } else if (c == separator && (depth == 0 || i == t.length())) {
                if (!t.substring(start, i).isBlank()) {
                    specs.add(new SpecParser(t, start, i).whole());
                }
                start = i + 1;
            }
        }
        return specs;
    }

    /**
     * Parses named arguments {@code key=value, key=value} that run from {@code start} to the end of
     * {@code text}, as in the overrides of a parameter-group rule {@code bias|norm: weight_decay=0}.
     *
     * <p>Values follow the grammar of spec arguments; keys are lower-cased; blank text is no arguments.
     * Errors quote the whole text after {@code label}, for example
     * {@code group rule "bias: lr=": expected a value for lr at offset 9 but found the end of the text},
     * and give offsets in the whole text.
     *
     * @param text the text, of which only the part from {@code start} is parsed
     * @param start the offset where the arguments begin
     * @param label what the text is, for messages, for example {@code group rule}
     * @return the values by lower-cased key, in source order; sequences are {@link SpecSeq}s
     * @throws SpecException if the text is not a list of key=value arguments
     */
    public static Map<String, Object> parseNamed(String text, int start, String label) {
        SpecParser p = new SpecParser(label, text, start, text.length());
        Map<String, Object> named = new LinkedHashMap<>();
        List<Object> positional = new ArrayList<>();
        Map<String, Integer> keyAt = new HashMap<>();
        p.skipWs();
        while (p.pos < p.end) {
            int at = p.pos;
            p.arg(positional, named, keyAt);
            if (!positional.isEmpty()) {
                throw p.error(at, "expected key=value at offset " + at + " but found " + text.substring(at, p.pos));
            }
            p.skipWs();
            if (p.pos < p.end) {
                if (p.peek() != ',') {
                    throw p.expected("',' or the end of the text");
                }
                p.pos++;
                p.skipWs();
                if (p.pos == p.end) {
                    throw p.expected("key=value", " (trailing commas are not allowed)");
                }
            }
        }
        return named;
    }

    private SpecException error(int at, String detail) {
        return new SpecException(label + " \"" + text + "\": " + detail, at);
    }

    private Spec whole() {
        skipWs();
        if (pos == end) {
            throw error(pos,
                    "expected an optimizer spec such as adam(lr=0.001) but the text is empty");
        }
        if (!isIdentStart(peek())) {
            throw expected("a name such as adam");
        }
        Spec spec = spec();
        skipWs();
        if (pos < end) {
            throw expected("the end of the spec");
        }
        return spec;
    }

    private Spec spec() {
        int start = pos;
        String name = ident();
        List<Object> positional = new ArrayList<>();
        Map<String, Object> named = new LinkedHashMap<>();
        int afterName = pos;
        skipWs();
        if (peek() != '(') {
            pos = afterName;
        } else {
            int open = pos++;
            skipWs();
            if (peek() == ')') {
                pos++;
            } else {
                Map<String, Integer> keyAt = new HashMap<>();
                while (true) {
                    arg(positional, named, keyAt);
                    if (!separatorOrClose(open, ')', "an argument")) {
                        break;
                    }
                }
            }
        }
        return new Spec(name, positional, named, text.substring(start, pos), start);
    }

    private void arg(List<Object> positional, Map<String, Object> named, Map<String, Integer> keyAt) {
        skipWs();
        int at = pos;
        int wordEnd = wordEnd(pos);
        int eq = wordEnd;
        while (eq < end && Character.isWhitespace(text.charAt(eq))) {
            eq++;
        }
        if (eq < end && text.charAt(eq) == '=') {
            String written = text.substring(at, wordEnd);
            if (!isIdentifier(written)) {
                throw error(at, "expected a key (a name such as lr) before '=' at offset "
                        + at + " but found " + found(at));
            }
            String key = written.toLowerCase(Locale.ROOT);
            if (keyAt.containsKey(key)) {
                throw error(at, "expected each key once but found '" + written + "' again at offset "
                        + at + " (first given at offset " + keyAt.get(key) + "; keys are case-insensitive)");
            }
            pos = eq + 1;
            named.put(key, value("a value for " + written));
            keyAt.put(key, at);
        } else {
            Object v = value("a value");
            if (!named.isEmpty()) {
                throw error(at, "expected key=value at offset " + at + " but found positional value "
                        + text.substring(at, pos) + " (positional arguments must come before named ones)");
            }
            positional.add(v);
        }
    }

    /** After an element: consumes ',' (returning true) or the closing bracket (returning false). */
    private boolean separatorOrClose(int open, char close, String element) {
        skipWs();
        char c = peek();
        if (c == ',') {
            pos++;
            skipWs();
            if (peek() == close) {
                throw expected(element, " (trailing commas are not allowed)");
            }
            return true;
        }
        if (c == close) {
            pos++;
            return false;
        }
        throw expected("',' or '" + close + "'", " (to close the '" + text.charAt(open) + "' at offset " + open + ")");
    }

    private Object value(String what) {
        skipWs();
        char c = peek();
        if (pos == end) {
            throw expected(what);
        }
        if (c == '"' || c == '\'') {
            return string();
        }
        if (c == '(' || c == '[') {
            return seq();
        }
        if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (!isIdentStart(c)) {
            throw expected(what);
        }
        int start = pos;
        String word = ident().toLowerCase(Locale.ROOT);
        skipWs();
        boolean call = peek() == '(';
        pos = start;
        if (!call && Spec.KEYWORDS.contains(word)) {
            pos += word.length();
            switch (word) {
                case "true": return Boolean.TRUE;
                case "false": return Boolean.FALSE;
                case "inf": return Double.POSITIVE_INFINITY;
                case "nan": throw error(start, "expected a number at offset " + start
                        + " but found '" + text.substring(start, pos) + "' (NaN is not a valid value)");
                default: return Spec.NONE;
            }
        }
        return spec();
    }

    private Object number() {
        int start = pos;
        boolean negative = peek() == '-';
        if (peek() == '+' || peek() == '-') {
            pos++;
        }
        if (isIdentStart(peek())) {
            int wordStart = pos;
            if (ident().equalsIgnoreCase("inf")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            pos = wordStart;
            throw notANumber(start);
        }
        int digits = skipDigits();
        boolean integer = true;
        if (peek() == '.') {
            pos++;
            integer = false;
            digits += skipDigits();
        }
        if (digits == 0) {
            throw notANumber(start);
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integer = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (skipDigits() == 0) {
                throw expected("a digit", " (the exponent of " + text.substring(start, pos) + " has no digits)");
            }
        }
        if (pos < end && isIdentPart(peek())) {
            throw notANumber(start);
        }
        String s = text.substring(start, pos);
        if (integer) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw error(start, "expected an integer that fits in 64 bits at offset " + start
                        + " but found " + s + " (write it with a decimal point to make it a float)");
            }
        }
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) {
            throw error(start, "expected a number within the range of a double at offset "
                    + start + " but found " + s + " (write inf for infinity)");
        }
        return d;
    }

    private SpecException notANumber(int start) {
        return error(start, "expected a number at offset " + start + " but found " + found(start));
    }

    private String string() {
        int start = pos;
        char quote = text.charAt(pos++);
        StringBuilder b = new StringBuilder();
        while (pos < end) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return b.toString();
            }
            if (c == '\\' && pos < end) {
                char e = text.charAt(pos++);
                switch (e) {
                    case '\\', '\'', '"' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    default -> throw error(pos - 2, "expected an escape \\\\, \\', \\\", \\n or \\t at offset "
                            + (pos - 2) + " but found '\\" + e + "'");
                }
            } else {
                b.append(c);
            }
        }
        throw error(start, "expected a closing " + quote + " for the string that starts at offset "
                + start + " but found " + found(end));
    }

    private SpecSeq seq() {
        int open = pos;
        char close = text.charAt(pos++) == '(' ? ')' : ']';
        List<Object> items = new ArrayList<>();
        skipWs();
        if (peek() == close) {
            pos++;
        } else {
            do {
                items.add(value("a value"));
            } while (separatorOrClose(open, close, "a value"));
        }
        return new SpecSeq(items, close == ']');
    }

    private String ident() {
        int start = pos;
        while (pos < end && isIdentPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private int skipDigits() {
        int start = pos;
        while (pos < end && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    private void skipWs() {
        while (pos < end && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** The current character, or 0 at the end (never compared with 0, so a NUL in the input is harmless). */
    private char peek() {
        return pos < end ? text.charAt(pos) : 0;
    }

    private SpecException expected(String what) {
        return expected(what, "");
    }

    private SpecException expected(String what, String note) {
        return error(pos, "expected " + what + " at offset " + pos + " but found " + found(pos) + note);
    }

    /** Describes what is at {@code at}: the end, a quoted word, or a quoted character. */
    private String found(int at) {
        if (at >= end) {
            return end == text.length() ? "the end of the text" : "'" + text.charAt(end) + "' at the end of the item";
        }
        int w = wordEnd(at);
        return "'" + (w > at ? text.substring(at, w) : String.valueOf(text.charAt(at))) + "'";
    }

    /** The end of the run of characters from {@code at} that are not whitespace or punctuation of the grammar. */
    private int wordEnd(int at) {
        while (at < end && !Character.isWhitespace(text.charAt(at)) && "(),[]='\";".indexOf(text.charAt(at)) < 0) {
            at++;
        }
        return at;
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9') || c == '.';
    }

    private static boolean isIdentifier(String s) {
        return !s.isEmpty() && isIdentStart(s.charAt(0)) && s.chars().allMatch(c -> isIdentPart((char) c));
    }
}
