package dev.descent.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON this package reads and writes (safetensors headers, {@code summary.json}): objects as
 * ordered maps, arrays as lists, numbers as {@code Long} when integral and {@code Double} otherwise, strings,
 * booleans and null.
 */
final class Json {
    private final String text;
    private final String source;
    private int at;

    private Json(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /**
     * Parses one JSON value that makes up the whole text (trailing spaces allowed).
     *
     * @param source what to call the text in errors, such as the file name
     * @throws IllegalArgumentException naming the source and the character offset of the first error
     */
    static Object parse(String text, String source) {
        Json p = new Json(text, source);
        Object v = p.value();
        p.spaces();
        if (p.at != text.length()) {
            throw p.error("unexpected text after the end of the value");
        }
        return v;
    }

    /** {@code s} as a JSON string literal, quotes included. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * A value written as JSON: null, booleans, numbers (non-finite doubles as null, which JSON lacks),
     * strings, maps with string keys and lists; objects put one key per line when {@code pretty}.
     */
    static String write(Object v, boolean pretty) {
        StringBuilder b = new StringBuilder();
        write(v, b, pretty, "");
        return b.toString();
    }

    private static void write(Object v, StringBuilder b, boolean pretty, String indent) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Double d) {
            b.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (v instanceof Float f) {
            b.append(Float.isFinite(f) ? Float.toString(f) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof String s) {
            b.append(quote(s));
        } else if (v instanceof Map<?, ?> m) {
            String inner = indent + "  ";
            b.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(i++ == 0 ? "" : ",").append(pretty ? "\n" + inner : "");
                b.append(quote(e.getKey().toString())).append(pretty ? ": " : ":");
                write(e.getValue(), b, pretty, inner);
            }
            b.append(pretty && !m.isEmpty() ? "\n" + indent : "").append('}');
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : pretty ? ", " : ",");
                write(list.get(i), b, pretty, indent);
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + v.getClass().getSimpleName() + " as JSON");
        }
    }

    private Object value() {
        spaces();
        if (at >= text.length()) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        spaces();
        if (peek('}')) {
            at++;
            return map;
        }
        while (true) {
            spaces();
            if (!peek('"')) {
                throw error("expected a quoted key");
            }
            String key = string();
            spaces();
            expect(':');
            if (map.put(key, value()) != null) {
                throw error("duplicate key \"" + key + "\"");
            }
            spaces();
            if (peek(',')) {
                at++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        at++;
        spaces();
        if (peek(']')) {
            at++;
            return list;
        }
        while (true) {
            list.add(value());
            spaces();
            if (peek(',')) {
                at++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        StringBuilder b = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    at += 4;
                }
                default -> throw error("unknown escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String n = text.substring(start, at);
        try {
            if (n.matches("-?\\d+")) {
                return Long.parseLong(n);
            }
            return Double.parseDouble(n);
        } catch (NumberFormatException e) {
            at = start;
            throw error("bad number '" + n + "'");
        }
    }

    private Object literal(String word, Object v) {
        if (!text.startsWith(word, at)) {
            throw error("unexpected text");
        }
        at += word.length();
        return v;
    }

    private void spaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(source + ": bad JSON at character " + at + ": " + what);
    }
}
