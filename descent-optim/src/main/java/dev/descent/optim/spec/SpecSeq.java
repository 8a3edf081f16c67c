package dev.descent.optim.spec;

import java.util.List;

/**
 * An immutable sequence value in a spec, written {@code (a, b)} or {@code [a, b]}.
 *
 * <p>The two bracket kinds are interchangeable: {@link #brackets()} remembers which was written so the spec
 * renders back the same way, but {@link #equals(Object)} ignores it. A one-element {@code (0.9)} is a
 * sequence of one element, not a parenthesized number.
 */
public final class SpecSeq {
    private final List<Object> items;
    private final boolean brackets;

    SpecSeq(List<Object> items, boolean brackets) {
        this.items = List.copyOf(items);
        this.brackets = brackets;
    }

    /**
     * Returns the elements in order; see {@link Spec} for the value types.
     *
     * @return an unmodifiable list
     */
    public List<Object> items() {
        return items;
    }

    /**
     * Returns whether the sequence was written with square brackets {@code [ ]} rather than {@code ( )}.
     *
     * @return true for {@code [ ]}
     */
    public boolean brackets() {
        return brackets;
    }

    /**
     * Compares the elements only; {@code (1, 2)} equals {@code [1, 2]}.
     *
     * @param o the other object
     * @return whether {@code o} is a sequence with equal elements
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SpecSeq s && items.equals(s.items);
    }

    /**
     * Returns a hash code of the elements, consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return items.hashCode();
    }

    /**
     * Renders the sequence in spec syntax with the brackets it was written with.
     *
     * @return for example {@code (0.9, 0.999)}
     */
    @Override
    public String toString() {
        return Spec.render(this);
    }
}
