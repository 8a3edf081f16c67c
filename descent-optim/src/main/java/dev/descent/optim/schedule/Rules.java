package dev.descent.optim.schedule;

import dev.descent.optim.spec.Spec;

import java.util.ArrayList;
import java.util.List;

/** Validation and rendering shared by the schedules: messages name the schedule, the key, the value and the rule. */
final class Rules {
    private Rules() {
    }

    static IllegalArgumentException invalid(String owner, String key, Object value, String rule) {
        return new IllegalArgumentException(owner + ": " + key + "=" + render(value) + " is invalid: " + rule);
    }

    static double finite(String owner, String key, double x) {
        if (!Double.isFinite(x)) {
            throw invalid(owner, key, x, "must be a finite number");
        }
        return x;
    }

    static double between(String owner, String key, double x, double lo, double hi) {
        if (!(x >= lo && x <= hi)) {
            throw invalid(owner, key, x, "must be between " + render(lo) + " and " + render(hi));
        }
        return x;
    }

    static long atLeast(String owner, String key, long x, long min) {
        if (x < min) {
            throw invalid(owner, key, x, "must be an integer >= " + min);
        }
        return x;
    }

    static String oneOf(String owner, String key, String x, List<String> valid) {
        if (x == null || !valid.contains(x)) {
            throw invalid(owner, key, x, "must be one of " + String.join(", ", valid));
        }
        return x;
    }

    /** A number as specs write it: integral values without a decimal point ({@code 10}, not {@code 10.0}). */
    static String render(Object value) {
        if (value instanceof Double d && Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(x -> items.add(render(x)));
            return "[" + String.join(", ", items) + "]";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        return Spec.render(value);
    }

    /** {@code name(key=value, ...)} from alternating keys and values; a null value is left out. */
    static String spec(String name, Object... keysAndValues) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object v = keysAndValues[i + 1];
            if (v != null) {
                args.add(keysAndValues[i] + "=" + (v instanceof PerGroup || v instanceof Schedule ? v.toString() : render(v)));
            }
        }
        return name + "(" + String.join(", ", args) + ")";
    }
}
