package dev.descent.optim.schedule;

import java.util.List;
import java.util.Map;

/** Typed reads from a scheduler's state map, accepting what a JSON round trip gives back (lists, any number type). */
final class StateValues {
    private StateValues() {
    }

    static long integer(Map<String, Object> state, String key) {
        Object v = require(state, key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new IllegalArgumentException("scheduler state: " + key + "=" + v + " is not an integer");
    }

    static double real(Map<String, Object> state, String key) {
        Object v = require(state, key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("scheduler state: " + key + "=" + v + " is not a number");
    }

    static double[] doubles(Map<String, Object> state, String key, int length) {
        Object v = require(state, key);
        double[] out = null;
        if (v instanceof double[] a) {
            out = a.clone();
        } else if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof Number)) {
            out = list.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        }
        if (out == null || out.length != length) {
            throw new IllegalArgumentException("scheduler state: " + key + " must hold " + length
                    + " numbers (one per group), but holds " + (out == null ? v : out.length + " numbers"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> state, String key) {
        Object v = require(state, key);
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("scheduler state: " + key + " must be a map, but is " + v);
    }

    private static Object require(Map<String, Object> state, String key) {
        Object v = state.get(key);
        if (v == null) {
            throw new IllegalArgumentException("scheduler state: " + key + " is missing; saved keys: " + state.keySet());
        }
        return v;
    }
}
