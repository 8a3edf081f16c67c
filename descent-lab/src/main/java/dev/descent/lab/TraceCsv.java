package dev.descent.lab;

/**
 * The CSV a trace writes: header {@code step,loss,p0,p1,...}, one row per step, and with several
 * optimizers a first column {@code optimizer} holding the spec as the user wrote it.
 */
final class TraceCsv {
    private TraceCsv() {
    }

    /** The header line (with its line end) for a problem of {@code dimension} coordinates. */
    static String header(int dimension, boolean withOptimizer) {
        StringBuilder b = new StringBuilder(withOptimizer ? "optimizer," : "").append("step,loss");
        for (int i = 0; i < dimension; i++) {
            b.append(",p").append(i);
        }
        return b.append('\n').toString();
    }

    /** Appends one row (with its line end); {@code optimizer} is null when the CSV has no optimizer column. */
    static void appendRow(StringBuilder b, String optimizer, int step, float loss, float[] point) {
        if (optimizer != null) {
            b.append(Csv.field(optimizer)).append(',');
        }
        b.append(step).append(',').append(Csv.number(loss));
        for (float x : point) {
            b.append(',').append(Csv.number(x));
        }
        b.append('\n');
    }
}
