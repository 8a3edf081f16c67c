package dev.descent.lab.plot;

import java.awt.Graphics2D;

/** Something a {@link Figure} lays out: a chart that paints itself into a rectangle of a given size. */
@FunctionalInterface
public interface Panel {
    /** Paints into {@code g}, whose origin is the panel's top left corner, an area {@code width} by {@code height}. */
    void paint(Graphics2D g, int width, int height);
}
