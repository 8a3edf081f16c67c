/**
 * Charts for people rather than parsers: line charts of series against step, epoch or seconds, and contour
 * maps of two-dimensional losses with optimizer paths over them, laid out in figures and written as PNG or
 * SVG. Built on XChart (line charts, axes, legends) and plain Java2D (contours), headless.
 *
 * <p>One style throughout ({@link dev.descent.lab.plot.ChartStyle}): white background, sans-serif text sized
 * for reading, light grid, and the Okabe–Ito colour-blind-safe palette ({@link dev.descent.lab.plot.Palette}).
 * Numbers on axes use {@code .} as decimal point whatever the locale.
 */
package dev.descent.lab.plot;
