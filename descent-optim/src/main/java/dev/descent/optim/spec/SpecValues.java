package dev.descent.optim.spec;

import java.util.List;

/**
 * Typed access to parsed spec values, with errors that name the spec, the key, the value and the rule.
 *
 * <p>Every method takes the owner (the spec name, for example {@code adam}) and the key only to word its
 * error, a {@link SpecException} such as {@code cosineannealinglr: T_max=2.5 is not an integer}. Values are
 * rendered with {@link Spec#render(Object)}. Either name may be null to leave it out.
 */
public final class SpecValues {
    private SpecValues() {
    }

    /**
     * Reads a float; an integer is accepted where a float is expected.
     *
     * @param owner the spec name, for messages
     * @param key the argument key, for messages
     * @param v the parsed value
     * @return the value as a double
     * @throws SpecException if {@code v} is not a number
     */
    public static double toDouble(String owner, String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw bad(owner, key, v, "is not a number");
    }

    /**
     * Reads an integer; a float with an integral value such as {@code 5.0} is accepted.
     *
     * @param owner the spec name, for messages
     * @param key the argument key, for messages
     * @param v the parsed value
     * @return the value as a long
     * @throws SpecException if {@code v} is not an integer
     */
    public static long toLong(String owner, String key, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 0x1p63) {
            return (long) n.doubleValue();
        }
        throw bad(owner, key, v, "is not an integer");
    }

    /**
     * Reads a boolean, written {@code true} or {@code false} in any case.
     *
     * @param owner the spec name, for messages
     * @param key the argument key, for messages
     * @param v the parsed value
     * @return the boolean
     * @throws SpecException if {@code v} is not a boolean
     */
    public static boolean toBoolean(String owner, String key, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(owner, key, v, "is not true or false");
    }

    /**
     * Reads a string; a bare name without arguments, as in {@code mode=min}, is accepted as its text.
     *
     * @param owner the spec name, for messages
     * @param key the argument key, for messages
     * @param v the parsed value
     * @return the string, or the name as written
     * @throws SpecException if {@code v} is neither a string nor a bare name
     */
    public static String toStr(String owner, String key, Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Spec s && s.positional().isEmpty() && s.named().isEmpty()) {
            return s.name();
        }
        throw bad(owner, key, v, "is not a string");
    }

    /**
     * Reads a sequence of numbers such as {@code (0.9, 0.999)}; integers are accepted as floats.
     *
     * @param owner the spec name, for messages
     * @param key the argument key, for messages
     * @param v the parsed value
     * @param expectedLength the required number of elements, or a negative number for any
     * @return the numbers
     * @throws SpecException if {@code v} is not a sequence of numbers of the expected length
     */
    public static double[] toDoubles(String owner, String key, Object v, int expectedLength) {
        List<Object> items = v instanceof SpecSeq s ? s.items() : null;
        if (items != null && (expectedLength < 0 || items.size() == expectedLength)
                && items.stream().allMatch(x -> x instanceof Number)) {
            return items.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        }
        String rule = switch (expectedLength) {
            case 1 -> "a sequence of one number like (0.5)";
            case 2 -> "a pair of numbers like (0.9, 0.999)";
            case 3 -> "a triple of numbers like (0.9, 0.99, 0.999)";
            default -> expectedLength < 0 ? "a sequence of numbers like (0.5, 1.5)"
                    : "a sequence of " + expectedLength + " numbers";
        };
        throw bad(owner, key, v, "must be " + rule);
    }

    /**
     * Reads a sequence of integers such as {@code [30, 80]}; floats with integral values are accepted.
     *
     * @param owner the spec name, for messages
     * @param key the argument key, for messages
     * @param v the parsed value
     * @return the integers
     * @throws SpecException if {@code v} is not a sequence of integers
     */
    public static long[] toLongs(String owner, String key, Object v) {
        if (v instanceof SpecSeq s) {
            long[] out = new long[s.items().size()];
            for (int i = 0; i < out.length; i++) {
                Object x = s.items().get(i);
                try {
                    out[i] = toLong(null, null, x);
                } catch (SpecException e) {
                    throw bad(owner, key, v, "must be a sequence of integers like [30, 80], but "
                            + Spec.render(x) + " is not an integer");
                }
            }
            return out;
        }
        throw bad(owner, key, v, "must be a sequence of integers like [30, 80]");
    }

    private static SpecException bad(String owner, String key, Object v, String rule) {
        return new SpecException((owner == null ? "" : owner + ": ") + (key == null ? "" : key + "=")
                + Spec.render(v) + " " + rule);
    }
}
