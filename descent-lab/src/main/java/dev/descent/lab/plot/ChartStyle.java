package dev.descent.lab.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Locale;

/**
 * The house style of descent's charts, applied to an XChart {@link XYChart}: white background, a light grid,
 * sans-serif text large enough to read at a glance, lines without markers in the {@link Palette} colours, and
 * {@code .} as decimal point whatever the locale.
 */
public final class ChartStyle {
    /** The font family: Java's logical sans-serif, DejaVu Sans on Debian. */
    public static final String FONT = Font.SANS_SERIF;
    /** Chart titles. */
    public static final Font TITLE = new Font(FONT, Font.BOLD, 17);
    /** Axis titles. */
    public static final Font AXIS_TITLE = new Font(FONT, Font.PLAIN, 14);
    /** Tick labels. */
    public static final Font TICK = new Font(FONT, Font.PLAIN, 12);
    /** Legend entries. */
    public static final Font LEGEND = new Font(FONT, Font.PLAIN, 13);
    /** Series lines. */
    public static final float LINE_WIDTH = 2f;

    private ChartStyle() {
    }

    /** Applies the style to {@code chart} (call before adding series; series colours follow the order they are added). */
    public static XYChart apply(XYChart chart) {
        XYStyler s = chart.getStyler();
        s.setAntiAlias(true);
        s.setLocale(Locale.ROOT);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartFontColor(Palette.INK);
        s.setChartTitleFont(TITLE);
        s.setChartTitleBoxVisible(false);
        s.setChartTitlePadding(10);
        s.setChartPadding(14);
        s.setAxisTitleFont(AXIS_TITLE);
        s.setAxisTitlePadding(8);
        s.setAxisTickLabelsFont(TICK);
        s.setAxisTickLabelsColor(Palette.MUTED);
        s.setAxisTickMarksColor(new Color(0xB0B0B0));
        s.setAxisTickPadding(5);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(new Color(0xB0B0B0));
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(Palette.GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setPlotMargin(0);
        s.setPlotContentSize(0.94);
        s.setLegendFont(LEGEND);
        s.setLegendBorderColor(Palette.GRID);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 225));
        s.setLegendPadding(8);
        s.setLegendSeriesLineLength(22);
        s.setLegendPosition(LegendPosition.InsideNE);
        s.setToolTipsEnabled(false);
        s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setSeriesColors(Palette.seriesColors());
        Marker[] none = new Marker[Palette.size()];
        Arrays.fill(none, SeriesMarkers.NONE);
        s.setSeriesMarkers(none);
        BasicStroke[] lines = new BasicStroke[Palette.size()];
        Arrays.fill(lines, new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        s.setSeriesLines(lines);
        s.setMarkerSize(9);
        s.setXAxisTickMarkSpacingHint(90);
        s.setYAxisTickMarkSpacingHint(60);
        s.setxAxisTickLabelsFormattingFunction(ChartStyle::number);
        s.setyAxisTickLabelsFormattingFunction(ChartStyle::number);
        return chart;
    }

    /**
     * A tick label: at most five significant digits, plain from 0.001 to below 100,000 ({@code 0.25}, {@code 1500}),
     * else in E notation with a lower-case e ({@code 1e-05} is written {@code 1e-5}, {@code 2.5e6}).
     */
    public static String number(Double value) {
        double v = value;
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(5)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            return rounded.toPlainString();
        }
        int exponent = rounded.precision() - rounded.scale() - 1;
        BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }
}
