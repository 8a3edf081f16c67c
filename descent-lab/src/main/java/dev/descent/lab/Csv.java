package dev.descent.lab;

/**
 * How descent writes CSV: fields quoted per RFC 4180 when they need it, numbers in Java's shortest
 * round-trip form with {@code .} as decimal point whatever the locale, lines ended by {@code \n}.
 */
final class Csv {
    private Csv() {
    }

    /** The field as written: wrapped in double quotes, with inner quotes doubled, when it holds a comma, quote or line break. */
    static String field(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
        }
        return text;
    }

    /** A float in the shortest form that reads back exactly ({@code NaN}, {@code Infinity} and {@code -Infinity} as Java writes them). */
    static String number(float x) {
        return Float.toString(x);
    }

    /** A double in the shortest form that reads back exactly ({@code NaN}, {@code Infinity} and {@code -Infinity} as Java writes them). */
    static String number(double x) {
        return Double.toString(x);
    }
}
