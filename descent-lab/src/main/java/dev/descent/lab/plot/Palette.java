package dev.descent.lab.plot;

import java.awt.Color;

/**
 * The colours of every chart: the Okabe–Ito palette for series, which people with the common forms of colour
 * blindness tell apart (Okabe and Ito, "Color Universal Design", 2008), in an order that keeps the first few
 * far apart and leaves out its yellow, too faint on white; and a pale sequential scale for filled contours,
 * light enough that series drawn over it keep their contrast.
 */
public final class Palette {
    /** Blue, vermillion, bluish green, reddish purple, orange, sky blue, black. */
    private static final Color[] SERIES = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000),
    };
    /** Viridis at 0, 1/4, 1/2, 3/4 and 1, from dark violet to yellow (perceptually uniform, colour-blind safe). */
    private static final Color[] VIRIDIS = {
        new Color(0x440154), new Color(0x3B528B), new Color(0x21918C), new Color(0x5EC962), new Color(0xFDE725),
    };
    /** How much of the sequential scale is white: its colours keep their order and lose their weight. */
    private static final double PALE = 0.68;

    /** Text, axes and markers that belong to no series. */
    public static final Color INK = new Color(0x222222);
    /** Grid lines and frames. */
    public static final Color GRID = new Color(0xEBEBEB);
    /** Secondary text: tick labels, notes. */
    public static final Color MUTED = new Color(0x555555);

    private Palette() {
    }

    /** The number of series colours before they repeat. */
    public static int size() {
        return SERIES.length;
    }

    /** The colour of series {@code index} (0-based; the palette repeats after {@link #size()}). */
    public static Color series(int index) {
        return SERIES[Math.floorMod(index, SERIES.length)];
    }

    /** All series colours in order. */
    public static Color[] seriesColors() {
        return SERIES.clone();
    }

    /** The pale sequential colour at {@code t} in [0, 1] (clamped): 0 is the low end (violet), 1 the high end (yellow). */
    public static Color sequential(double t) {
        double u = Double.isNaN(t) ? 1 : Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) u, VIRIDIS.length - 2);
        double f = u - i;
        Color a = VIRIDIS[i];
        Color b = VIRIDIS[i + 1];
        return new Color(pale(a.getRed() + f * (b.getRed() - a.getRed())), pale(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                pale(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static int pale(double channel) {
        return (int) Math.round(channel * (1 - PALE) + 255 * PALE);
    }
}
