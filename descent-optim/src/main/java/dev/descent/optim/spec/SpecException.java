package dev.descent.optim.spec;

/**
 * An error in the text or the values of a spec, with a one-line message that says what was expected,
 * what was found and where.
 *
 * <p>Parse errors quote the whole input and give the 0-based offset of the problem, for example
 * {@code spec "adam(lr=0.001,, eps=1)": expected a value at offset 14 but found ','}. Line breaks and tabs
 * in a message are written as {@code \n}, {@code \r} and {@code \t}, so the message is always one line.
 */
public class SpecException extends IllegalArgumentException {
    private final int position;

    /**
     * Creates an exception for a problem at a known offset of the input.
     *
     * @param message what was expected and what was found; made one line if it is not
     * @param position the 0-based offset in the input, or -1 when it is not known
     */
    public SpecException(String message, int position) {
        super(oneLine(message));
        this.position = position;
    }

    /**
     * Creates an exception for a problem whose offset in the input is not known (a bad value, say).
     *
     * @param message what was wrong; made one line if it is not
     */
    public SpecException(String message) {
        this(message, -1);
    }

    /**
     * Returns the 0-based offset of the problem in the input, or -1 when it is not known.
     *
     * @return the offset, or -1
     */
    public int position() {
        return position;
    }

    private static String oneLine(String s) {
        return s == null ? null : s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
