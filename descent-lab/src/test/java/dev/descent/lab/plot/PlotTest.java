package dev.descent.lab.plot;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.geom.PathIterator;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotTest {
    @Test
    void seriesBeyondThePaletteAreDashedAndTheLegendWrapsIntoRows() {
        assertEquals(null, LineChart.lineStroke(0).getDashArray());
        assertTrue(LineChart.lineStroke(Palette.size()).getDashArray() != null, "the second round of colours is dashed");
        assertTrue(LineChart.lineStroke(2 * Palette.size()).getDashArray() != null, "the third round is dotted");
        List<String> names = List.of("sgd(lr=0.01)", "momentum(lr=0.01)", "nag(lr=0.01)", "adagrad(lr=0.01)",
                "rmsprop(lr=0.001)", "adadelta(lr=1.0)", "adam(lr=0.001)", "nadam(lr=0.002)");
        Legend legend = new Legend(names);
        assertTrue(legend.height(300) > legend.height(1400), "a narrow legend takes more rows");
        BufferedImage image = new Figure(1400, legend.height(1400)).place(legend, 0, 0, 1400, legend.height(1400)).render();
        for (int i = 0; i < Palette.size(); i++) {
            assertTrue(Images.hasColour(image, Palette.series(i).getRGB() & 0xFFFFFF, 10), "entry " + i + " is drawn in its colour");
        }
    }

    @Test
    void epochChartsLabelWholeNumbersOnly() throws Exception {
        LineChart chart = new LineChart("loss", "epoch", "loss").integerX(true).markers(true)
                .add("a", new double[] {1, 2, 3, 4, 5}, new double[] {2, 1.5, 1.2, 1.1, 1.0});
        var xchart = chart.toXChart(640, 430);
        var format = xchart.getStyler().getxAxisTickLabelsFormattingFunction();
        assertEquals("3", format.apply(3.0));
        assertEquals("", format.apply(2.5));
        Images.png(toPng(Figure.of(chart, 640, 430)));
    }

    private static byte[] toPng(Figure figure) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            figure.writeTo(out, ImageFormat.PNG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] write(Figure figure, ImageFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        figure.writeTo(out, format);
        return out.toByteArray();
    }

    private static LineChart twoCurves() {
        double[] x = new double[200];
        double[] a = new double[200];
        double[] b = new double[200];
        for (int k = 0; k < x.length; k++) {
            x[k] = k;
            a[k] = 10 * Math.exp(-k / 20.0);
            b[k] = 5 / (1 + k);
        }
        return new LineChart("two curves", "step", "loss").logY(true).add("exp", x, a).add("hyperbola", x, b);
    }

    private static ContourMap bowlWithPath() {
        double[] px = {2, 1.2, 0.6, 0.2, 0.05};
        double[] py = {1.5, 0.9, 0.4, 0.1, 0.02};
        ContourMap.Box box = ContourMap.frame(List.of(new double[] {0, 0}, new double[] {2, 1.5}), List.<double[][]>of(new double[][] {px, py}));
        return new ContourMap("bowl", (x, y) -> x * x + 3 * y * y, box).path("descent", px, py)
                .mark("minimum", List.<double[]>of(new double[] {0, 0}), SeriesMarkers.DIAMOND);
    }

    @Test
    void aLineChartPngHasTheSeriesColoursOnWhite() throws Exception {
        BufferedImage image = Images.png(write(Figure.of(twoCurves(), 480, 320), ImageFormat.PNG));
        assertEquals(480, image.getWidth());
        assertEquals(320, image.getHeight());
        assertTrue(Images.colours(image) > 20, "antialiased lines and text: " + Images.colours(image) + " colours");
        assertEquals(0xFFFFFF, image.getRGB(2, 2) & 0xFFFFFF, "white background");
        assertTrue(Images.hasColour(image, Palette.series(0).getRGB(), 8), "the first series colour is drawn");
        assertTrue(Images.hasColour(image, Palette.series(1).getRGB(), 8), "the second series colour is drawn");
    }

    @Test
    void aLineChartSvgParsesAndDrawsPaths() throws Exception {
        assertTrue(Images.svgPaths(write(Figure.of(twoCurves(), 480, 320), ImageFormat.SVG)) > 2);
    }

    @Test
    void aContourMapDrawsBandsLinesAndThePath() throws Exception {
        BufferedImage image = Images.png(write(Figure.of(bowlWithPath(), 420, 360), ImageFormat.PNG));
        assertTrue(Images.colours(image) > 50, Images.colours(image) + " colours");
        assertTrue(Images.hasColour(image, Palette.series(0).getRGB(), 8), "the path is drawn");
        assertTrue(Images.hasColour(image, Palette.sequential(1).getRGB(), 2), "the highest band is filled");
        int paths = Images.svgPaths(write(Figure.of(bowlWithPath(), 420, 360), ImageFormat.SVG));
        assertTrue(paths > 10, paths + " paths: contour levels, the path, axes");
    }

    @Test
    void panelsOfAFigureGoSideBySide() throws Exception {
        Figure figure = new Figure(840, 360).place(bowlWithPath(), 0, 0, 420, 360).place(twoCurves(), 420, 0, 420, 360);
        BufferedImage image = Images.png(write(figure, ImageFormat.PNG));
        assertEquals(840, image.getWidth());
        assertTrue(Images.hasColour(image.getSubimage(420, 0, 420, 360), Palette.series(1).getRGB(), 8), "the chart is on the right");
        assertTrue(Images.hasColour(image.getSubimage(0, 0, 420, 360), Palette.sequential(1).getRGB(), 2), "the map is on the left");
        assertThrows(IllegalArgumentException.class, () -> new Figure(0, 10));
    }

    @Test
    void anEmptyChartStillPaints() throws Exception {
        LineChart empty = new LineChart("", "step", "loss").logY(true).add("diverged", new double[] {0, 1}, new double[] {Double.NaN, -1});
        assertTrue(Images.colours(Images.png(write(Figure.of(empty, 400, 300), ImageFormat.PNG))) > 2);
    }

    @Test
    void theFormatComesFromTheExtension() {
        assertSame(ImageFormat.PNG, ImageFormat.forFile(Path.of("a/b.png")));
        assertSame(ImageFormat.PNG, ImageFormat.forFile(Path.of("B.PNG")));
        assertSame(ImageFormat.SVG, ImageFormat.forFile(Path.of("map.Svg")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageFormat.forFile(Path.of("x.jpg")));
        assertEquals("x.jpg: unknown image type '.jpg'; name the file .png or .svg", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageFormat.forFile(Path.of("plot"))).getMessage()
                .contains("no file extension"));
    }

    @Test
    void thinningKeepsTheEndsAndTheExtremes() {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = k;
            y[k] = Math.sin(k / 1000.0) + (k == 54_321 ? 5 : 0);
        }
        double[][] thin = LineChart.thin(new double[][] {x, y}, 1000);
        assertTrue(thin[0].length <= 1000, thin[0].length + " points");
        assertEquals(0, thin[0][0]);
        assertEquals(n - 1, thin[0][thin[0].length - 1]);
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < thin[0].length; k++) {
            max = Math.max(max, thin[1][k]);
            assertTrue(k == 0 || thin[0][k] > thin[0][k - 1], "x stays in order");
        }
        assertEquals(y[54_321], max, "the spike survives");
        double[][] few = {{0, 1, 2}, {3, 4, 5}};
        assertSame(few, LineChart.thin(few, 1000));
    }

    @Test
    void drawablePointsAreFiniteAndPositiveOnALogAxis() {
        double[][] kept = LineChart.drawable(new double[] {0, 1, 2, 3, 4}, new double[] {1, 0, Double.NaN, Double.POSITIVE_INFINITY, 2}, false, true);
        assertArrayEquals(new double[] {0, 4}, kept[0]);
        assertArrayEquals(new double[] {1, 0, 2}, LineChart.drawable(new double[] {0, 1, 4}, new double[] {1, 0, 2}, false, false)[1]);
        assertArrayEquals(new double[] {1, 4}, LineChart.drawable(new double[] {-1, 0, 1, 4}, new double[] {1, 1, 0, 2}, true, false)[0],
                "a logarithmic x axis leaves out x of 0 and below");
    }

    @Test
    void theFrameHoldsTheLandmarksAndCutsDivergingPaths() {
        double[][] wild = {{0, 0.5, 3, 1e6, Double.NaN}, {0, 0.2, -2, 1e6, Double.NaN}};
        ContourMap.Box box = ContourMap.frame(List.of(new double[] {-1, 2}, new double[] {1, 1}), List.<double[][]>of(wild));
        assertTrue(box.xmin() < -1 && box.xmax() > 1 && box.ymin() < 0 && box.ymax() > 2, box.toString());
        assertTrue(box.ymin() > -2 && box.xmax() < 3, "a point beyond the reach does not pull the frame: " + box);
        assertTrue(box.xmax() - box.xmin() < 5 && box.ymax() - box.ymin() < 5, box.toString());
        assertEquals(3, ContourMap.drawnLength(wild[0], wild[1], box), "the path is cut at the far point");
        ContourMap.Box one = ContourMap.frame(List.of(new double[] {2, 3}), List.of());
        assertTrue(one.xmin() < 2 && one.xmax() > 2 && one.ymin() < 3 && one.ymax() > 3, one.toString());
        assertThrows(IllegalArgumentException.class, () -> new ContourMap.Box(1, 1, 0, 1));
    }

    @Test
    void logLevelsCrowdNearTheMinimum() {
        ContourMap map = new ContourMap("", (x, y) -> x * x + y * y, new ContourMap.Box(-1, 1, -1, 1));
        double[][] z = new double[50][50];
        for (int r = 0; r < 50; r++) {
            for (int c = 0; c < 50; c++) {
                double x = -1 + 2 * (c + 0.5) / 50;
                double y = -1 + 2 * (r + 0.5) / 50;
                z[r][c] = x * x + y * y + 3;
            }
        }
        double[] levels = map.contourLevels(z);
        assertTrue(levels.length >= 8, levels.length + " levels");
        for (int k = 2; k < levels.length; k++) {
            assertTrue(levels[k] - levels[k - 1] > levels[k - 1] - levels[k - 2], "gaps grow: " + java.util.Arrays.toString(levels));
        }
        assertTrue(levels[0] > 3 && levels[0] < 3.01, "the first level sits just above the minimum: " + levels[0]);
        double[] linear = map.levels(ContourMap.Levels.LINEAR).contourLevels(z);
        assertEquals(linear[1] - linear[0], linear[linear.length - 1] - linear[linear.length - 2], 1e-12);
    }

    @Test
    void longPathsAreDrawnThroughEveryKthPointAndTheLast() {
        double[] v = new double[4 * ContourMap.MAX_PATH_POINTS - 1];
        for (int k = 0; k < v.length; k++) {
            v[k] = k;
        }
        double[] s = ContourMap.strided(v, v.length);
        assertTrue(s.length <= ContourMap.MAX_PATH_POINTS + 1, s.length + " points");
        assertEquals(0, s[0]);
        assertEquals(4, s[1], "every fourth point");
        assertEquals(v.length - 1, s[s.length - 1], "the last point ends the path");
        assertEquals(s[s.length - 2] + 2, s[s.length - 1], "off the stride, the last point is added");
        double[] t = ContourMap.strided(v, 4 * ContourMap.MAX_PATH_POINTS - 3);
        assertEquals(t[t.length - 2] + 4, t[t.length - 1], "on the stride, the last point is not doubled");
        assertArrayEquals(new double[] {0, 1, 2}, ContourMap.strided(v, 3));
    }

    @Test
    void marchingSquaresTraceACircle() {
        int n = 81;
        double[][] z = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                z[r][c] = (c - 40) * (c - 40) + (r - 40) * (r - 40);
            }
        }
        Path2D.Double contour = MarchingSquares.contour(z, 30 * 30);
        double[] p = new double[6];
        int points = 0;
        for (PathIterator it = contour.getPathIterator(null); !it.isDone(); it.next()) {
            it.currentSegment(p);
            double radius = Math.hypot(p[0] - 40, p[1] - 40);
            assertEquals(30, radius, 0.02, "a point of the level-900 line");
            points++;
        }
        assertTrue(points > 300, points + " segment ends around the circle");
        assertEquals(0, MarchingSquares.contour(z, -1).getBounds2D().getWidth(), "no line below the minimum");
    }

    @Test
    void tickNumbersAreShortAndLocaleFree() {
        assertEquals("0", ChartStyle.number(0.0));
        assertEquals("0.3", ChartStyle.number(0.30000000000000004));
        assertEquals("1500", ChartStyle.number(1500.0));
        assertEquals("1e-5", ChartStyle.number(1e-5));
        assertEquals("2.5e6", ChartStyle.number(2.5e6));
        assertEquals("-0.125", ChartStyle.number(-0.125));
    }

    @Test
    void thePaletteRepeatsAndTheSequentialScaleIsPale() {
        assertEquals(Palette.series(0), Palette.series(Palette.size()));
        for (double t = 0; t <= 1; t += 0.125) {
            java.awt.Color c = Palette.sequential(t);
            assertTrue(c.getRed() > 150 && c.getGreen() > 150 && c.getBlue() > 150, "pale at " + t + ": " + c);
        }
        assertTrue(!Palette.sequential(0).equals(Palette.sequential(1)));
    }
}
