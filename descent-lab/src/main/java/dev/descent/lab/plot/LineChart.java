package dev.descent.lab.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A line chart of one or more series against a common x (step, epoch, seconds), in the {@link ChartStyle}, with a
 * legend when there are several series and an optional logarithmic y axis.
 *
 * <p>Points whose x or y is not finite are left out, and so are y values of 0 or less on a logarithmic axis: a
 * diverging run's line ends where its values stop being drawable. A series of more than {@value #MAX_POINTS}
 * points is thinned to the first and last point and the lowest and highest of each of about
 * {@value #MAX_POINTS}/2 runs of consecutive points, which keeps the envelope of cyclic or noisy curves.
 *
 * <pre>{@code
 * new LineChart("loss", "step", "loss").logY(true).add("adam", steps, losses).add("sgd", steps, other)
 * }</pre>
 */
public final class LineChart implements Panel {
    /** Series longer than this are thinned before drawing. */
    public static final int MAX_POINTS = 2000;

    /** A named series of points, joined by lines or drawn as separate points. */
    private record Series(String name, double[] x, double[] y, boolean pointsOnly) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;
    private boolean logX;
    private boolean markers;
    private boolean integerX;
    private Boolean legend;
    private LegendPosition legendPosition = LegendPosition.InsideNE;
    private LegendLayout legendLayout = LegendLayout.Vertical;
    private int yAxisWidth;

    /** An empty chart with the given title and axis labels (any may be empty). */
    public LineChart(String title, String xLabel, String yLabel) {
        Figure.headless();
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Draws y on a logarithmic axis (default linear). */
    public LineChart logY(boolean log) {
        this.logY = log;
        return this;
    }

    /** Draws x on a logarithmic axis (default linear); points at x of 0 or below are left out. */
    public LineChart logX(boolean log) {
        this.logX = log;
        return this;
    }

    /** Marks each point with a dot as well as joining the points (default: lines only); for short series such as epochs. */
    public LineChart markers(boolean visible) {
        this.markers = visible;
        return this;
    }

    /** Labels only whole numbers on the x axis, one tick per unit when they fit (epochs); default off. */
    public LineChart integerX(boolean whole) {
        this.integerX = whole;
        return this;
    }

    /** Shows or hides the legend (default: shown when there are two or more series). */
    public LineChart legend(boolean visible) {
        this.legend = visible;
        return this;
    }

    /** Reserves at least {@code pixels} left of the plot for the y axis, so that charts stacked above one another line up. */
    public LineChart yAxisWidth(int pixels) {
        this.yAxisWidth = pixels;
        return this;
    }

    /** Where the legend goes (default inside, top right), its entries one above another. */
    public LineChart legendPosition(LegendPosition position) {
        return legendPosition(position, LegendLayout.Vertical);
    }

    /** Where the legend goes and whether its entries stand one above another or side by side. */
    public LineChart legendPosition(LegendPosition position, LegendLayout layout) {
        this.legendPosition = position;
        this.legendLayout = layout;
        return this;
    }

    /**
     * Adds a series; its colour is the {@link Palette} colour of its position.
     *
     * @throws IllegalArgumentException when x and y differ in length, or the name is taken
     */
    public LineChart add(String name, double[] x, double[] y) {
        return add(name, x, y, false);
    }

    /**
     * Adds a series drawn as separate dots, not joined (a scatter plot); its colour is the {@link Palette} colour of
     * its position.
     *
     * @throws IllegalArgumentException when x and y differ in length, or the name is taken
     */
    public LineChart addPoints(String name, double[] x, double[] y) {
        return add(name, x, y, true);
    }

    private LineChart add(String name, double[] x, double[] y, boolean pointsOnly) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
        for (Series s : series) {
            if (s.name().equals(name)) {
                throw new IllegalArgumentException("series '" + name + "' is already in the chart");
            }
        }
        series.add(new Series(name, x.clone(), y.clone(), pointsOnly));
        return this;
    }

    /** Whether y is drawn on a logarithmic axis. */
    public boolean isLogY() {
        return logY;
    }

    /** The chart as an XChart chart of the given size, for further changes before it is painted. */
    public XYChart toXChart(int width, int height) {
        XYChart chart = ChartStyle.apply(new XYChart(width, height));
        chart.setTitle(title);
        chart.setXAxisTitle(xLabel);
        chart.setYAxisTitle(yLabel);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisLogarithmic(logX);
        if (logX) {
            chart.getStyler().setxAxisTickLabelsFormattingFunction(null);
        }
        if (logY) {
            // A formatting function makes XChart place linear ticks on a logarithmic axis: keep its own decades.
            chart.getStyler().setyAxisTickLabelsFormattingFunction(null);
        }
        chart.getStyler().setChartTitleVisible(title != null && !title.isEmpty());
        chart.getStyler().setLegendVisible(legend != null ? legend : series.size() > 1);
        chart.getStyler().setLegendPosition(legendPosition);
        chart.getStyler().setLegendLayout(legendLayout);
        if (markers || series.stream().anyMatch(Series::pointsOnly)) {
            chart.getStyler().setMarkerSize(markers ? 6 : 8);
        }
        if (yAxisWidth > 0) {
            chart.getStyler().setYAxisLeftWidthHint(yAxisWidth);
        }
        boolean anyPoint = false;
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double[][] xy = thin(drawable(s.x(), s.y(), logX, logY), MAX_POINTS);
            anyPoint |= xy[0].length > 0;
            for (int k = 0; k < xy[0].length; k++) {
                range[0] = Math.min(range[0], xy[0][k]);
                range[1] = Math.max(range[1], xy[0][k]);
                range[2] = Math.min(range[2], xy[1][k]);
                range[3] = Math.max(range[3], xy[1][k]);
            }
            XYSeries added = chart.addSeries(s.name(), xy[0].length > 0 ? xy[0] : new double[] {Double.NaN},
                    xy[0].length > 0 ? xy[1] : new double[] {Double.NaN});
            added.setLineColor(Palette.series(i));
            added.setMarkerColor(Palette.series(i));
            added.setLineStyle(lineStroke(i));
            if (markers || s.pointsOnly()) {
                added.setMarker(SeriesMarkers.CIRCLE);
            }
            if (s.pointsOnly()) {
                added.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            }
        }
        if (integerX) {
            chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> x == Math.rint(x) ? ChartStyle.number(x) : "");
            double span = range[1] - range[0];
            if (anyPoint && span >= 1 && span <= 12) {
                chart.getStyler().setXAxisTickMarkSpacingHint((int) Math.max(40, 0.8 * (width - 120) / span));
            }
        }
        if (anyPoint) {
            addSpacer(chart, range, logX, logY);
        } else {
            // Nothing to draw: fix a range so that the empty axes still paint.
            chart.getStyler().setXAxisMin(0.0);
            chart.getStyler().setXAxisMax(1.0);
            chart.getStyler().setYAxisMin(logY ? 0.1 : 0.0);
            chart.getStyler().setYAxisMax(1.0);
        }
        return chart;
    }

    /**
     * The line of series {@code index}: solid for the first round of {@link Palette} colours, dashed for the second,
     * dotted after, so that series sharing a colour stay apart.
     */
    public static BasicStroke lineStroke(int index) {
        int round = index / Palette.size();
        float w = ChartStyle.LINE_WIDTH;
        return switch (round) {
            case 0 -> new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            case 1 -> new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 5f}, 0f);
            default -> new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 5f}, 0f);
        };
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        toXChart(width, height).paint(g, width, height);
    }

    /**
     * Adds an invisible point inside the data's range at an odd place. XChart puts a tick at every distinct value
     * when an axis's values are equally spaced (steps 0, 1, 2, ..., or a linear warm-up), which crowds the labels
     * into an unreadable row (XChart issue 731); one value off the grid makes it choose round ticks again.
     */
    private static void addSpacer(XYChart chart, double[] range, boolean logX, boolean logY) {
        double odd = 0.3819660113;
        double x = logX ? Math.exp(Math.log(range[0]) + odd * (Math.log(range[1]) - Math.log(range[0])))
                : range[0] + odd * (range[1] - range[0]);
        double y = logY ? Math.exp(Math.log(range[2]) + odd * (Math.log(range[3]) - Math.log(range[2])))
                : range[2] + odd * (range[3] - range[2]);
        XYSeries spacer = chart.addSeries("\u2063", new double[] {x}, new double[] {y});
        spacer.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        spacer.setMarker(SeriesMarkers.NONE);
        spacer.setShowInLegend(false);
    }

    /** The points that can be drawn: finite x and y, and above 0 on a logarithmic axis. */
    static double[][] drawable(double[] x, double[] y, boolean logX, boolean logY) {
        int n = 0;
        double[] xs = new double[x.length];
        double[] ys = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logY || y[i] > 0) && (!logX || x[i] > 0)) {
                xs[n] = x[i];
                ys[n] = y[i];
                n++;
            }
        }
        return new double[][] {java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n)};
    }

    /**
     * At most about {@code max} points: the first, the last, and the lowest and highest (in their order) of each of
     * {@code max / 2} runs of consecutive points; all points when there are no more than {@code max}.
     */
    static double[][] thin(double[][] xy, int max) {
        double[] x = xy[0];
        double[] y = xy[1];
        int n = x.length;
        if (n <= max) {
            return xy;
        }
        int buckets = Math.max(1, max / 2 - 1);
        double[] xs = new double[2 * buckets + 2];
        double[] ys = new double[2 * buckets + 2];
        int m = 0;
        xs[m] = x[0];
        ys[m++] = y[0];
        for (int b = 0; b < buckets; b++) {
            int from = 1 + (int) ((long) b * (n - 2) / buckets);
            int to = 1 + (int) ((long) (b + 1) * (n - 2) / buckets);
            if (from >= to) {
                continue;
            }
            int lo = from;
            int hi = from;
            for (int i = from; i < to; i++) {
                if (y[i] < y[lo]) {
                    lo = i;
                }
                if (y[i] > y[hi]) {
                    hi = i;
                }
            }
            int first = Math.min(lo, hi);
            int second = Math.max(lo, hi);
            xs[m] = x[first];
            ys[m++] = y[first];
            if (second != first) {
                xs[m] = x[second];
                ys[m++] = y[second];
            }
        }
        xs[m] = x[n - 1];
        ys[m++] = y[n - 1];
        return new double[][] {java.util.Arrays.copyOf(xs, m), java.util.Arrays.copyOf(ys, m)};
    }
}
