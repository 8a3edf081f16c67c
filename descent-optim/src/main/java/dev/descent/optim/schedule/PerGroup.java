package dev.descent.optim.schedule;

import java.util.List;

/**
 * A setting given once for all groups or once per group, as PyTorch's "float or list" arguments
 * ({@code base_lr}, {@code max_lr}, {@code base_momentum}, {@code max_momentum}, {@code min_lr}).
 *
 * @param values   the value, or one value per group
 * @param perGroup whether {@code values} holds one value per group
 */
public record PerGroup(List<Double> values, boolean perGroup) {
    /** Checks the values are finite and, for a single value, that there is exactly one. */
    public PerGroup {
        values = List.copyOf(values);
        if (values.isEmpty() || (!perGroup && values.size() != 1)) {
            throw new IllegalArgumentException("a per-group setting needs one value, or one value per group; got " + values);
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a per-group setting must hold finite numbers; got " + values);
            }
        }
    }

    /** The same value for every group. */
    public static PerGroup of(double value) {
        return new PerGroup(List.of(value), false);
    }

    /** One value per group, in group order. */
    public static PerGroup of(List<Double> values) {
        return new PerGroup(values, true);
    }

    /** The value for group {@code group}. */
    public double get(int group) {
        return values.get(perGroup ? group : 0);
    }

    /** Checks a per-group list has one value per group, with PyTorch's message. */
    void check(String owner, String key, int groups) {
        if (perGroup && values.size() != groups) {
            throw new IllegalArgumentException(owner + ": expected " + groups + " values for " + key + ", got "
                    + values.size() + " (" + this + "); give one value, or one per parameter group");
        }
    }

    /** The value as a spec writes it: {@code 0.1}, or {@code [0.1, 0.01]} per group. */
    @Override
    public String toString() {
        return perGroup ? Rules.render(values) : Rules.render(values.get(0));
    }
}
