package dev.descent.optim.schedule;

import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecSeq;
import dev.descent.optim.spec.SpecValues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arguments of one schedule spec, read with defaults by their PyTorch names (case-insensitive), with errors
 * that name the schedule, the key and the value. PyTorch's {@code verbose} is accepted and ignored;
 * {@code last_epoch} is accepted only as -1 (descent resumes from a scheduler's saved state instead).
 */
final class SpecArgs {
    private final Spec spec;
    private final String name;
    private final List<String> keys;
    private final Map<String, Object> named = new LinkedHashMap<>();

    /** Reads {@code spec} as schedule {@code name}, whose keys are {@code keys} (canonical spelling). */
    SpecArgs(Spec spec, String name, String... keys) {
        this.spec = spec;
        this.name = name;
        this.keys = Arrays.asList(keys);
        for (Map.Entry<String, Object> e : spec.named().entrySet()) {
            String key = e.getKey();
            if (key.equals("verbose")) {
                continue;
            }
            if (key.equals("last_epoch")) {
                if (!(e.getValue() instanceof Long l) || l != -1) {
                    throw new IllegalArgumentException(name + ": last_epoch=" + Spec.render(e.getValue()) + " is invalid: "
                            + "only -1 (the default) is accepted; to resume, load the scheduler's saved state");
                }
                continue;
            }
            String canonical = this.keys.stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(key)).findFirst().orElse(null);
            if (canonical == null) {
                throw new IllegalArgumentException(Names.unknown("key for " + name, key, this.keys));
            }
            named.put(canonical, e.getValue());
        }
    }

    /** Rejects positional arguments (every schedule but the combinators takes only key=value arguments). */
    SpecArgs keywordsOnly() {
        if (!spec.positional().isEmpty()) {
            throw new IllegalArgumentException(name + " takes only key=value arguments, but got "
                    + Spec.render(spec.positional().get(0)) + " in " + spec.source());
        }
        return this;
    }

    private Object value(String key) {
        Object v = named.get(key);
        return v == Spec.NONE ? null : v;
    }

    boolean has(String key) {
        return value(key) != null;
    }

    private IllegalArgumentException required(String key, String example) {
        return new IllegalArgumentException(name + ": " + key + " is required (PyTorch has no default for it), e.g. "
                + name + "(" + key + "=" + example + ")");
    }

    double real(String key, double defaultValue) {
        Object v = value(key);
        return v == null ? defaultValue : SpecValues.toDouble(name, key, v);
    }

    double real(String key, String example) {
        if (!has(key)) {
            throw required(key, example);
        }
        return SpecValues.toDouble(name, key, value(key));
    }

    Double realOrNull(String key) {
        return has(key) ? SpecValues.toDouble(name, key, value(key)) : null;
    }

    long integer(String key, long defaultValue) {
        Object v = value(key);
        return v == null ? defaultValue : SpecValues.toLong(name, key, v);
    }

    long integer(String key, String example) {
        if (!has(key)) {
            throw required(key, example);
        }
        return SpecValues.toLong(name, key, value(key));
    }

    Long integerOrNull(String key) {
        return has(key) ? SpecValues.toLong(name, key, value(key)) : null;
    }

    boolean flag(String key, boolean defaultValue) {
        Object v = value(key);
        return v == null ? defaultValue : SpecValues.toBoolean(name, key, v);
    }

    String string(String key, String defaultValue) {
        Object v = value(key);
        return v == null ? defaultValue : SpecValues.toStr(name, key, v);
    }

    List<Long> integers(String key, String example) {
        if (!has(key)) {
            throw required(key, example);
        }
        List<Long> out = new ArrayList<>();
        for (long x : SpecValues.toLongs(name, key, value(key))) {
            out.add(x);
        }
        return out;
    }

    List<Double> reals(String key, String example) {
        if (!has(key)) {
            throw required(key, example);
        }
        List<Double> out = new ArrayList<>();
        for (double x : SpecValues.toDoubles(name, key, value(key), -1)) {
            out.add(x);
        }
        return out;
    }

    /** A number for every group, or a sequence of one per group. */
    PerGroup perGroup(String key, double defaultValue) {
        return has(key) ? perGroup(key, "0.1") : PerGroup.of(defaultValue);
    }

    PerGroup perGroup(String key, String example) {
        Object v = value(key);
        if (v == null) {
            throw required(key, example);
        }
        if (v instanceof SpecSeq) {
            List<Double> values = new ArrayList<>();
            for (double x : SpecValues.toDoubles(name, key, v, -1)) {
                values.add(x);
            }
            if (values.isEmpty()) {
                throw new IllegalArgumentException(name + ": " + key + "=" + Spec.render(v) + " is invalid: give a number, "
                        + "or one number per parameter group");
            }
            return PerGroup.of(values);
        }
        return PerGroup.of(SpecValues.toDouble(name, key, v));
    }

    /**
     * The inner schedules of a combinator: its positional arguments, or PyTorch's {@code schedulers=[...]}.
     */
    List<Spec> schedules(String example) {
        List<Object> items = new ArrayList<>(spec.positional());
        if (has("schedulers")) {
            if (!items.isEmpty()) {
                throw new IllegalArgumentException(name + ": give the schedules either as positional arguments or as "
                        + "schedulers=[...], not both, in " + spec.source());
            }
            Object v = value("schedulers");
            items.addAll(v instanceof SpecSeq seq ? seq.items() : List.of(v));
        }
        List<Spec> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Spec s)) {
                throw new IllegalArgumentException(name + ": expected a schedule such as steplr(step_size=10) but got "
                        + Spec.render(item) + " in " + spec.source());
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(name + ": needs at least one schedule, e.g. " + example);
        }
        return out;
    }
}
