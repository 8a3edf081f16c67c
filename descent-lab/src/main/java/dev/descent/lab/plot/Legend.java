package dev.descent.lab.plot;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;

/**
 * A legend on its own, for a {@link Figure} whose charts share their series: entry i is drawn in the colour and
 * line of {@link LineChart} series i, entries flow left to right in as many rows as they need, centred.
 */
public final class Legend implements Panel {
    private static final int SWATCH = 26;
    private static final int GAP = 22;
    private static final int ROW = 24;

    private final List<String> names;
    private final java.util.Set<Integer> dots = new java.util.HashSet<>();

    /** A legend naming series 0, 1, ... in order. */
    public Legend(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** Draws these entries as a dot instead of a line, for series drawn as points ({@link LineChart#addPoints}); returns this legend. */
    public Legend dots(int... entries) {
        for (int i : entries) {
            dots.add(i);
        }
        return this;
    }

    /** The height the entries need at a given width, for laying out a figure. */
    public int height(int width) {
        return 16 + ROW * rows(metrics(), width).size();
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(ChartStyle.LEGEND);
        FontMetrics fm = g.getFontMetrics();
        List<List<Integer>> rows = rows(fm, width);
        int y = Math.max(8, (height - ROW * rows.size()) / 2);
        for (List<Integer> row : rows) {
            int rowWidth = 0;
            for (int i : row) {
                rowWidth += entryWidth(fm, i) + GAP;
            }
            int x = Math.max(0, (width - rowWidth + GAP) / 2);
            int mid = y + ROW / 2;
            for (int i : row) {
                g.setColor(Palette.series(i));
                if (dots.contains(i)) {
                    g.fillOval(x + SWATCH / 2 - 4, mid - 4, 8, 8);
                } else {
                    g.setStroke(LineChart.lineStroke(i));
                    g.drawLine(x, mid, x + SWATCH, mid);
                }
                g.setColor(Palette.INK);
                g.drawString(names.get(i), x + SWATCH + 6, mid + fm.getAscent() / 2 - 1);
                x += entryWidth(fm, i) + GAP;
            }
            y += ROW;
        }
    }

    private int entryWidth(FontMetrics fm, int i) {
        return SWATCH + 6 + fm.stringWidth(names.get(i));
    }

    /** The entries of each row: as many as fit in {@code width}, at least one. */
    private List<List<Integer>> rows(FontMetrics fm, int width) {
        List<List<Integer>> rows = new ArrayList<>();
        List<Integer> row = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < names.size(); i++) {
            int w = entryWidth(fm, i) + GAP;
            if (!row.isEmpty() && used + w - GAP > width - 20) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            row.add(i);
            used += w;
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }

    private static FontMetrics metrics() {
        Figure.headless();
        java.awt.image.BufferedImage scratch = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            g.setFont(ChartStyle.LEGEND);
            return g.getFontMetrics();
        } finally {
            g.dispose();
        }
    }

}
