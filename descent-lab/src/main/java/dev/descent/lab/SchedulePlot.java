package dev.descent.lab;

import dev.descent.lab.plot.Figure;
import dev.descent.lab.plot.LineChart;

/**
 * The picture {@code descent schedule --plot} draws: the learning rate against the step, and below it, when the
 * schedule cycles it, the momentum (or beta1). The learning rate is drawn on a logarithmic axis when it stays
 * above zero and its largest value is {@value #LOG_SPAN}x its median or more, as in exponential and step decays
 * (a one-cycle schedule, which reaches its tiny final values only in its last steps, stays linear).
 */
final class SchedulePlot {
    /** The ratio of the largest to the median learning rate from which its axis is logarithmic. */
    static final double LOG_SPAN = 20;
    private static final int WIDTH = 960;
    /** The longest title that fits the width. */
    private static final int MAX_TITLE = 90;
    private static final int LR_HEIGHT = 440;
    private static final int MOMENTUM_HEIGHT = 340;
    /** The room for the y axes, so that the two charts line up. */
    private static final int Y_AXIS_WIDTH = 70;

    private SchedulePlot() {
    }

    /**
     * @param lr           the learning rate after each scheduler step (index = step)
     * @param momentum     the momentum after each step, or null when the schedule does not cycle it
     * @param momentumName what the optimizer calls it ({@code momentum} or {@code beta1})
     */
    static Figure figure(String scheduleText, String optimizerText, double[] lr, double[] momentum, String momentumName) {
        double[] steps = new double[lr.length];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = k;
        }
        String xLabel = "step  (optimizer " + optimizerText + ")";
        LineChart lrChart = new LineChart(abbreviate(scheduleText, MAX_TITLE), momentum == null ? xLabel : "", "learning rate").logY(logScale(lr)).add("lr", steps, lr).legend(false).yAxisWidth(Y_AXIS_WIDTH);
        if (momentum == null) {
            return Figure.of(lrChart, WIDTH, LR_HEIGHT);
        }
        LineChart momentumChart = new LineChart("", xLabel, momentumName).add(momentumName, steps, momentum).legend(false)
                .yAxisWidth(Y_AXIS_WIDTH);
        return new Figure(WIDTH, LR_HEIGHT + MOMENTUM_HEIGHT)
                .place(lrChart, 0, 0, WIDTH, LR_HEIGHT)
                .place(momentumChart, 0, LR_HEIGHT, WIDTH, MOMENTUM_HEIGHT);
    }

    /** The text, cut to {@code max} characters with an ellipsis when longer. */
    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    /** Whether the values are all finite and above zero, and the largest is at least {@link #LOG_SPAN}x the median. */
    static boolean logScale(double[] values) {
        for (double v : values) {
            if (!(v > 0) || !Double.isFinite(v)) {
                return false;
            }
        }
        if (values.length == 0) {
            return false;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length - 1] / sorted[sorted.length / 2] >= LOG_SPAN;
    }
}
