package dev.descent.lab.plot;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One picture: {@link Panel}s placed at given rectangles on a white page of a given size, written as PNG or
 * SVG. The same panels give the same layout in both formats.
 *
 * <pre>{@code
 * Figure figure = new Figure(1300, 600).place(map, 0, 0, 700, 600).place(lossChart, 700, 0, 600, 600);
 * figure.writeTo(out, ImageFormat.forFile(path));
 * }</pre>
 */
public final class Figure {
    static {
        headless();
    }

    /** A panel and where it goes. */
    private record Placed(Panel panel, int x, int y, int width, int height) {
    }

    private final int width;
    private final int height;
    private final List<Placed> panels = new ArrayList<>();

    /**
     * A blank page.
     *
     * @throws IllegalArgumentException when a side is not positive
     */
    public Figure(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a figure needs a positive size, got " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
    }

    /** A figure holding one panel that fills it. */
    public static Figure of(Panel panel, int width, int height) {
        return new Figure(width, height).place(panel, 0, 0, width, height);
    }

    /** Places {@code panel} with its top left corner at (x, y) and the given size; panels paint in the order placed. */
    public Figure place(Panel panel, int x, int y, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a panel needs a positive size, got " + width + " x " + height);
        }
        panels.add(new Placed(panel, x, y, width, height));
        return this;
    }

    /** The page width in pixels. */
    public int width() {
        return width;
    }

    /** The page height in pixels. */
    public int height() {
        return height;
    }

    /** Writes the figure to {@code out} (left open) in {@code format}. */
    public void writeTo(OutputStream out, ImageFormat format) throws IOException {
        switch (format) {
            case PNG -> ImageIO.write(render(), "png", out);
            case SVG -> {
                VectorGraphics2D g = new VectorGraphics2D();
                paint(g);
                g.dispose();
                new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(out);
            }
        }
    }

    /** The figure as a bitmap. */
    public BufferedImage render() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            paint(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        for (Placed p : panels) {
            Graphics2D panel = (Graphics2D) g.create(p.x(), p.y(), p.width(), p.height());
            try {
                p.panel().paint(panel, p.width(), p.height());
            } finally {
                panel.dispose();
            }
        }
    }

    /** Makes AWT headless unless the JVM was told otherwise: charts are drawn off screen, also where there is no display. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
