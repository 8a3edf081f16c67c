package dev.descent.lab;

import dev.descent.lab.plot.ContourMap;
import dev.descent.lab.plot.Figure;
import dev.descent.lab.plot.LineChart;
import dev.descent.optim.problem.Problem;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;

/**
 * The picture {@code descent trace --plot} draws: for a two-dimensional problem, a contour map of the loss with
 * each optimizer's path over it (start, ends, and the known minima marked) beside a chart of the loss per step;
 * for other problems the loss chart alone. The loss chart's legend names the optimizers for both panels. The loss
 * axis is logarithmic for problems with a known minimum value when the losses span two decades or more, and shows the loss above that value where it is not 0 (the six-hump camel's −1.0316); the saddle, unbounded
 * below, gets a linear axis and evenly spaced contours. Losses that cannot be drawn (not finite, or 0 on the
 * logarithmic axis) end their line.
 */
final class TracePlot {
    private static final int HEIGHT = 640;
    private static final int MAP_WIDTH = 740;
    private static final int LOSS_WIDTH = 640;
    /** The loss axis is logarithmic when the losses span this many decades. */
    static final int LOG_DECADES = 2;
    /** Losses beyond this many times the largest starting loss are not drawn. */
    static final double LOSS_CAP = 1e4;

    /** One optimizer's run as recorded: loss and point after each step. */
    record Run(String label, float[] loss, float[][] points) {
    }

    private TracePlot() {
    }

    static Figure figure(Problem problem, List<Run> runs) {
        if (problem.dimension() != 2) {
            return Figure.of(lossChart(problem, runs, labels(runs, null, null)), LOSS_WIDTH + 200, HEIGHT);
        }
        List<double[][]> paths = paths(runs);
        ContourMap.Box box = frame(problem, paths);
        List<String> labels = labels(runs, paths, box);
        return new Figure(MAP_WIDTH + LOSS_WIDTH, HEIGHT)
                .place(map(problem, paths, box, labels), 0, 0, MAP_WIDTH, HEIGHT)
                .place(lossChart(problem, runs, labels), MAP_WIDTH, 0, LOSS_WIDTH, HEIGHT);
    }

    /** The runs' paths as {x, y} arrays. */
    private static List<double[][]> paths(List<Run> runs) {
        List<double[][]> paths = new ArrayList<>();
        for (Run run : runs) {
            double[] x = new double[run.points().length];
            double[] y = new double[run.points().length];
            for (int k = 0; k < x.length; k++) {
                x[k] = run.points()[k][0];
                y[k] = run.points()[k][1];
            }
            paths.add(new double[][] {x, y});
        }
        return paths;
    }

    /** The map's frame: the starts, the minima and saddle points, and the paths near them. */
    private static ContourMap.Box frame(Problem problem, List<double[][]> paths) {
        List<double[]> landmarks = new ArrayList<>(KnownMinima.of(problem));
        landmarks.addAll(KnownMinima.saddlePoints(problem));
        for (double[][] path : paths) {
            if (path[0].length > 0) {
                landmarks.add(new double[] {path[0][0], path[1][0]});
            }
        }
        return ContourMap.frame(landmarks, paths);
    }

    private static ContourMap map(Problem problem, List<double[][]> paths, ContourMap.Box box, List<String> labels) {
        ContourMap map = new ContourMap(problem.id() + ":  " + formula(problem), (x, y) -> problem.loss(new float[] {(float) x, (float) y}), box)
                .levels(KnownMinima.of(problem).isEmpty() ? ContourMap.Levels.LINEAR : ContourMap.Levels.LOG)
                .axisLabels("p0", "p1").pathsInLegend(false);
        for (int r = 0; r < paths.size(); r++) {
            map.path(labels.get(r), paths.get(r)[0], paths.get(r)[1]);
        }
        List<double[]> minima = KnownMinima.of(problem);
        map.mark(minima.size() == 1 ? "minimum" : "minima", minima, SeriesMarkers.DIAMOND);
        map.mark("saddle point", KnownMinima.saddlePoints(problem), SeriesMarkers.CROSS);
        return map;
    }

    /**
     * Each run's label: its spec, and where it diverges (its first non-finite loss or point) or, when the map is
     * drawn ({@code paths} not null), where its path leaves the map for good.
     */
    private static List<String> labels(List<Run> runs, List<double[][]> paths, ContourMap.Box box) {
        List<String> labels = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            int diverges = -1;
            for (int k = 0; k < run.loss().length && diverges < 0; k++) {
                boolean finite = Float.isFinite(run.loss()[k]);
                for (float c : run.points()[k]) {
                    finite &= Float.isFinite(c);
                }
                diverges = finite ? -1 : k;
            }
            int leaves = paths == null ? -1 : ContourMap.drawnLength(paths.get(r)[0], paths.get(r)[1], box);
            if (diverges >= 0 && (leaves < 0 || leaves >= diverges)) {
                labels.add(run.label() + " (diverges at step " + diverges + ")");
            } else if (leaves >= 0 && leaves < run.loss().length) {
                labels.add(run.label() + " (leaves the map at step " + leaves + ")");
            } else {
                labels.add(run.label());
            }
        }
        return labels;
    }

    /**
     * The loss per step; losses above {@value #LOSS_CAP} times the largest starting loss are left out, so that one
     * diverging run does not flatten the others.
     */
    static LineChart lossChart(Problem problem, List<Run> runs, List<String> labels) {
        double minimum = KnownMinima.value(problem);
        boolean log = !Double.isNaN(minimum) && spansDecades(runs, minimum);
        String yLabel = !log ? "loss" : minimum == 0 ? "loss (log scale)" : "loss − (" + (float) minimum + "), log scale";
        LineChart chart = new LineChart(log && minimum != 0 ? "loss above the minimum per step" : "loss per step", "step", yLabel)
                .logY(log).legend(true).legendPosition(LegendPosition.OutsideS);
        double cap = 0;
        for (Run run : runs) {
            if (run.loss().length > 0 && Float.isFinite(run.loss()[0])) {
                cap = Math.max(cap, Math.abs(run.loss()[0] - (log ? minimum : 0)));
            }
        }
        cap = LOSS_CAP * Math.max(cap, 1);
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            double[] steps = new double[run.loss().length];
            double[] values = new double[run.loss().length];
            for (int k = 0; k < steps.length; k++) {
                steps[k] = k;
                values[k] = log ? run.loss()[k] - minimum : run.loss()[k];
                if (Math.abs(values[k]) > cap) {
                    values[k] = Double.NaN;
                }
            }
            chart.add(labels.get(r), steps, values);
        }
        return chart;
    }

    /**
     * Whether the finite losses above {@code minimum} (those above zero) span {@value #LOG_DECADES} decades or more, so
     * that a logarithmic axis shows labelled decades; runs stuck in a local minimum, say, do not.
     */
    private static boolean spansDecades(List<Run> runs, double minimum) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Run run : runs) {
            for (float loss : run.loss()) {
                double v = loss - minimum;
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi / lo >= Math.pow(10, LOG_DECADES);
    }

    /** The problem's formula as its javadoc writes it. */
    static String formula(Problem problem) {
        return switch (problem) {
            case ROSENBROCK -> "(1 − x)² + 100 (y − x²)²";
            case BEALE -> "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²";
            case HIMMELBLAU -> "(x² + y − 11)² + (x + y² − 7)²";
            case QUADRATIC -> "½ Σ cᵢ wᵢ², c = (1, 10, 100, 1000)";
            case BOOTH -> "(x + 2y − 7)² + (2x + y − 5)²";
            case RASTRIGIN -> "20 + x² − 10 cos 2πx + y² − 10 cos 2πy";
            case SADDLE -> "x² − y²";
            case SIXHUMPCAMEL -> "(4 − 2.1x² + x⁴/3) x² + xy + (4y² − 4) y²";
        };
    }
}
