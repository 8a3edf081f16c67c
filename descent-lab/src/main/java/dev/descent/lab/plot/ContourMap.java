package dev.descent.lab.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * A contour map of a function of two variables with paths over it: filled bands between contour levels in the
 * pale {@link Palette#sequential sequential} colours, the contour lines themselves (by {@link MarchingSquares}),
 * and on top, drawn by XChart with the axes and the legend, each path in its {@link Palette} colour with a square
 * at its end, a circle at the first path's start, and marked points (minima, saddle points).
 *
 * <p>Levels are log-spaced above the lowest value in view by default (about three per decade between 10⁻⁴ of
 * the range and the 98th percentile, so that both a deep valley and the walls around it get lines), or evenly
 * spaced for functions without a minimum in view. Paths are clipped to the map; a path point further than
 * {@value #LIMIT} map widths outside ends the drawn path there, since Java2D cannot place such points reliably.
 * Paths of more than {@value #MAX_PATH_POINTS} points are drawn through every k-th point.
 */
public final class ContourMap implements Panel {
    /** Paths longer than this are drawn through every k-th point (and the last), which keeps big SVGs small. */
    public static final int MAX_PATH_POINTS = 1500;
    /** How many map widths (or heights) outside the map a drawn path may reach before it is cut. */
    public static final double LIMIT = 2;
    /** Contour-level spacing: log-spaced above the minimum in view, or evenly spaced. */
    public enum Levels { LOG, LINEAR }

    /**
     * A rectangle in data coordinates.
     *
     * @param xmin the left edge
     * @param xmax the right edge
     * @param ymin the bottom edge
     * @param ymax the top edge
     */
    public record Box(double xmin, double xmax, double ymin, double ymax) {
        /** Checks that the box has finite edges and a positive size. */
        public Box {
            if (!(xmax > xmin) || !(ymax > ymin) || !Double.isFinite(xmax - xmin) || !Double.isFinite(ymax - ymin)) {
                throw new IllegalArgumentException("a box needs finite edges with xmin < xmax and ymin < ymax, got x "
                        + xmin + ".." + xmax + ", y " + ymin + ".." + ymax);
            }
        }

        double width() {
            return xmax - xmin;
        }

        double height() {
            return ymax - ymin;
        }

        boolean contains(double x, double y) {
            return x >= xmin && x <= xmax && y >= ymin && y <= ymax;
        }
    }

    private record Path(String name, double[] x, double[] y) {
    }

    private record Points(String name, double[][] points, Marker marker) {
    }

    private final String title;
    private final DoubleBinaryOperator f;
    private final Box box;
    private final List<Path> paths = new ArrayList<>();
    private final List<Points> marks = new ArrayList<>();
    private Levels levels = Levels.LOG;
    private String xLabel = "x";
    private String yLabel = "y";
    private boolean pathsInLegend = true;

    /** A map of {@code f(x, y)} over {@code box}, with a title (may be empty). */
    public ContourMap(String title, DoubleBinaryOperator f, Box box) {
        Figure.headless();
        this.title = title;
        this.f = f;
        this.box = box;
    }

    /** How the contour levels are spaced (default {@link Levels#LOG}). */
    public ContourMap levels(Levels spacing) {
        this.levels = spacing;
        return this;
    }

    /** The axis labels (default x and y). */
    public ContourMap axisLabels(String x, String y) {
        this.xLabel = x;
        this.yLabel = y;
        return this;
    }

    /** Whether the paths have legend entries (default yes; no when another panel's legend names them). */
    public ContourMap pathsInLegend(boolean shown) {
        this.pathsInLegend = shown;
        return this;
    }

    /**
     * Adds a path, drawn in the {@link Palette} colour of its position; it is drawn up to its first point that is
     * not finite or lies more than {@link #LIMIT} map sizes outside, and ends with a square.
     */
    public ContourMap path(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("path '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
        paths.add(new Path(name, x.clone(), y.clone()));
        return this;
    }

    /** Marks points such as minima with {@code marker} in ink, under {@code name} in the legend. */
    public ContourMap mark(String name, List<double[]> points, Marker marker) {
        if (!points.isEmpty()) {
            marks.add(new Points(name, points.stream().map(double[]::clone).toArray(double[][]::new), marker));
        }
        return this;
    }

    /** The box. */
    public Box box() {
        return box;
    }

    /**
     * The number of leading points of a path that are drawn: up to (not including) the first one that is not
     * finite or lies more than {@link #LIMIT} box sizes outside {@code box}.
     */
    public static int drawnLength(double[] x, double[] y, Box box) {
        Box limit = new Box(box.xmin() - LIMIT * box.width(), box.xmax() + LIMIT * box.width(),
                box.ymin() - LIMIT * box.height(), box.ymax() + LIMIT * box.height());
        for (int k = 0; k < x.length; k++) {
            if (!limit.contains(x[k], y[k])) {
                return k;
            }
        }
        return x.length;
    }

    /**
     * A box that frames {@code landmarks} (starts, minima: always in view) and the parts of {@code paths} that stay
     * near them: the landmarks' bounding box grown by 0.6 times its size (at least 1) bounds how far a path may pull
     * the frame, so that a diverging path is cut at the edge rather than shrinking everything else to a dot. The
     * result has a margin of 6% and sides no less than a third of each other.
     */
    public static Box frame(List<double[]> landmarks, List<double[][]> paths) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] p : landmarks) {
            include(b, p[0], p[1]);
        }
        if (!(b[0] <= b[1])) {
            b = new double[] {-1, 1, -1, 1};
        }
        double reach = 0.6 * Math.max(1, Math.max(b[1] - b[0], b[3] - b[2]));
        double[] limit = {b[0] - reach, b[1] + reach, b[2] - reach, b[3] + reach};
        for (double[][] path : paths) {
            for (int k = 0; k < path[0].length; k++) {
                double x = path[0][k];
                double y = path[1][k];
                if (x >= limit[0] && x <= limit[1] && y >= limit[2] && y <= limit[3]) {
                    include(b, x, y);
                }
            }
        }
        double w = Math.max(b[1] - b[0], 1e-6);
        double h = Math.max(b[3] - b[2], 1e-6);
        double side = Math.max(w, h);
        w = Math.max(w, side / 3);
        h = Math.max(h, side / 3);
        double cx = (b[0] + b[1]) / 2;
        double cy = (b[2] + b[3]) / 2;
        double mx = 0.56 * w;
        double my = 0.56 * h;
        return new Box(cx - mx, cx + mx, cy - my, cy + my);
    }

    private static void include(double[] b, double x, double y) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.max(b[1], x);
        b[2] = Math.min(b[2], y);
        b[3] = Math.max(b[3], y);
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        XYChart chart = chart(width, height);
        // Layout pass on a scratch bitmap: where XChart puts the plot area at this size.
        BufferedImage scratch = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D sg = scratch.createGraphics();
        chart.paint(sg, width, height);
        sg.dispose();
        int left = (int) Math.round(chart.getScreenXFromChart(box.xmin()));
        int right = (int) Math.round(chart.getScreenXFromChart(box.xmax()));
        int top = (int) Math.round(chart.getScreenYFromChart(box.ymax()));
        int bottom = (int) Math.round(chart.getScreenYFromChart(box.ymin()));
        int pw = right - left;
        int ph = bottom - top;
        if (pw > 2 && ph > 2) {
            paintContours(g, left, top, pw, ph);
        }
        chart.paint(g, width, height);
    }

    /** The contour levels of the values in {@code z} (all finite). */
    double[] contourLevels(double[][] z) {
        double[] all = Arrays.stream(z).flatMapToDouble(Arrays::stream).sorted().toArray();
        double min = all[0];
        double max = all[all.length - 1];
        if (!(max > min)) {
            return new double[0];
        }
        if (levels == Levels.LINEAR) {
            int n = 15;
            double[] out = new double[n];
            for (int k = 0; k < n; k++) {
                out[k] = min + (k + 1) * (max - min) / (n + 1);
            }
            return out;
        }
        double hi = all[(int) (0.98 * (all.length - 1))] - min;
        if (!(hi > 0)) {
            hi = max - min;
        }
        double lo = hi * 1e-4;
        int n = 13;
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = min + lo * Math.pow(hi / lo, (double) k / (n - 1));
        }
        return out;
    }

    private void paintContours(Graphics2D g, int left, int top, int pw, int ph) {
        // The fill: one sample per pixel, coloured by its band between levels.
        double[][] fine = sample(pw, ph);
        double[] lv = contourLevels(fine);
        BufferedImage fill = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        int[] colours = new int[lv.length + 1];
        for (int k = 0; k <= lv.length; k++) {
            colours[k] = Palette.sequential((double) k / Math.max(1, lv.length)).getRGB();
        }
        for (int r = 0; r < ph; r++) {
            for (int c = 0; c < pw; c++) {
                int band = Arrays.binarySearch(lv, fine[r][c]);
                band = band >= 0 ? band : -band - 1;
                fill.setRGB(c, ph - 1 - r, colours[band]);
            }
        }
        g.drawImage(fill, left, top, null);

        // The lines, from a coarser grid (one sample every 3 pixels keeps them smooth and the SVG small).
        int cols = Math.max(2, pw / 3);
        int rows = Math.max(2, ph / 3);
        double[][] coarse = sample(cols, rows);
        AffineTransform toScreen = new AffineTransform();
        toScreen.translate(left, top + ph);
        toScreen.scale((double) pw / (cols - 1), -(double) ph / (rows - 1));
        Graphics2D lines = (Graphics2D) g.create();
        try {
            lines.clipRect(left, top, pw, ph);
            lines.setStroke(new BasicStroke(0.9f));
            lines.setColor(new Color(40, 40, 60, 90));
            for (double level : lv) {
                Path2D.Double contour = MarchingSquares.contour(coarse, level);
                lines.draw(toScreen.createTransformedShape(contour));
            }
        } finally {
            lines.dispose();
        }
    }

    /**
     * The function on a grid of {@code cols} by {@code rows} points spanning the box, row 0 at the bottom; values that
     * are not finite become the largest finite value.
     */
    private double[][] sample(int cols, int rows) {
        double[][] z = new double[rows][cols];
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            double y = box.ymin() + (r + 0.5) * box.height() / rows;
            for (int c = 0; c < cols; c++) {
                double x = box.xmin() + (c + 0.5) * box.width() / cols;
                double v = f.applyAsDouble(x, y);
                z[r][c] = v;
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double fallback = Double.isFinite(max) ? max : 0;
        for (double[] row : z) {
            for (int c = 0; c < cols; c++) {
                if (!Double.isFinite(row[c])) {
                    row[c] = fallback;
                }
            }
        }
        return z;
    }

    /** The XChart chart: axes fixed to the box, transparent backgrounds, the paths and marks as series. */
    private XYChart chart(int width, int height) {
        XYChart chart = ChartStyle.apply(new XYChart(width, height));
        chart.setTitle(title);
        chart.setXAxisTitle(xLabel);
        chart.setYAxisTitle(yLabel);
        XYStyler s = chart.getStyler();
        s.setChartTitleVisible(title != null && !title.isEmpty());
        Color clear = new Color(255, 255, 255, 0);
        s.setChartBackgroundColor(clear);
        s.setPlotBackgroundColor(clear);
        s.setPlotGridLinesVisible(false);
        s.setPlotContentSize(1.0);
        s.setXAxisMin(box.xmin());
        s.setXAxisMax(box.xmax());
        s.setYAxisMin(box.ymin());
        s.setYAxisMax(box.ymax());
        s.setLegendPosition(LegendPosition.OutsideS);
        s.setLegendLayout(LegendLayout.Horizontal);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(Color.WHITE);
        s.setMarkerSize(10);
        // A point outside the box gives legend entries whose markers should not show on the map.
        double outX = box.xmax() + 10 * box.width();
        double outY = box.ymax() + 10 * box.height();
        // A pale halo under every path keeps it visible on any band colour and where paths cross.
        for (int i = 0; i < paths.size(); i++) {
            Path p = paths.get(i);
            int n = drawnLength(p.x(), p.y(), box);
            if (n > 1) {
                XYSeries halo = chart.addSeries("\u2063halo " + i, strided(p.x(), n), strided(p.y(), n));
                halo.setLineColor(new Color(255, 255, 255, 170));
                halo.setMarker(SeriesMarkers.NONE);
                halo.setLineStyle(new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                halo.setShowInLegend(false);
            }
        }
        for (int i = 0; i < paths.size(); i++) {
            Path p = paths.get(i);
            int n = drawnLength(p.x(), p.y(), box);
            Color colour = Palette.series(i);
            XYSeries line = chart.addSeries(p.name(), n > 0 ? strided(p.x(), n) : new double[] {outX},
                    n > 0 ? strided(p.y(), n) : new double[] {outY});
            line.setLineColor(colour);
            line.setMarker(SeriesMarkers.NONE);
            // Past the palette's colours, paths are dashed as the loss chart's lines are (LineChart.lineStroke).
            line.setLineStyle(i < Palette.size() ? new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                    : LineChart.lineStroke(i));
            line.setShowInLegend(pathsInLegend);
            if (n > 0) {
                XYSeries end = chart.addSeries("\u2063end " + i, new double[] {p.x()[n - 1]}, new double[] {p.y()[n - 1]});
                scatter(end, SeriesMarkers.SQUARE, colour);
                end.setShowInLegend(false);
            }
        }
        if (!paths.isEmpty() && paths.get(0).x().length > 0) {
            scatter(chart.addSeries("start", new double[] {paths.get(0).x()[0]}, new double[] {paths.get(0).y()[0]}),
                    SeriesMarkers.CIRCLE, Palette.INK);
            scatter(chart.addSeries("end", new double[] {outX}, new double[] {outY}), SeriesMarkers.SQUARE, Palette.INK);
        }
        for (Points m : marks) {
            double[] xs = Arrays.stream(m.points()).mapToDouble(p -> p[0]).toArray();
            double[] ys = Arrays.stream(m.points()).mapToDouble(p -> p[1]).toArray();
            scatter(chart.addSeries(m.name(), xs, ys), m.marker(), Palette.INK);
        }
        if (chart.getSeriesMap().isEmpty()) {
            XYSeries none = chart.addSeries("\u2063", new double[] {outX}, new double[] {outY});
            scatter(none, SeriesMarkers.NONE, Palette.INK);
            none.setShowInLegend(false);
            s.setLegendVisible(false);
        }
        return chart;
    }

    /** The first {@code n} values, through every k-th one and the last when there are more than {@link #MAX_PATH_POINTS}. */
    static double[] strided(double[] values, int n) {
        int stride = (n + MAX_PATH_POINTS - 1) / MAX_PATH_POINTS;
        if (stride <= 1) {
            return Arrays.copyOf(values, n);
        }
        int m = (n - 1) / stride + 1;
        boolean lastIncluded = (n - 1) % stride == 0;
        double[] out = new double[lastIncluded ? m : m + 1];
        for (int k = 0; k < m; k++) {
            out[k] = values[k * stride];
        }
        out[out.length - 1] = values[n - 1];
        return out;
    }

    private static void scatter(XYSeries series, Marker marker, Color colour) {
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        series.setMarker(marker);
        series.setMarkerColor(colour);
    }
}
