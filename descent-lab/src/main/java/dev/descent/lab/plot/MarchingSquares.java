package dev.descent.lab.plot;

import java.awt.geom.Path2D;

/**
 * Contour lines of a function sampled on a regular grid, by marching squares: in each grid cell, the line of
 * level L crosses the edges whose two corners lie on either side of L, at the linearly interpolated point. A cell
 * whose diagonal corners are on the same side (a saddle, four crossings) is resolved by the mean of its corners.
 */
final class MarchingSquares {
    private MarchingSquares() {
    }

    /**
     * The segments of level {@code level} as one path in grid coordinates: x from 0 to {@code z[0].length - 1}
     * (columns), y from 0 to {@code z.length - 1} (rows). {@code z} must be finite.
     */
    static Path2D.Double contour(double[][] z, double level) {
        Path2D.Double path = new Path2D.Double();
        int rows = z.length;
        int cols = z[0].length;
        double[] ex = new double[4];
        double[] ey = new double[4];
        for (int j = 0; j + 1 < rows; j++) {
            for (int i = 0; i + 1 < cols; i++) {
                double a = z[j][i];          // (i, j)
                double b = z[j][i + 1];      // (i + 1, j)
                double c = z[j + 1][i + 1];  // (i + 1, j + 1)
                double d = z[j + 1][i];      // (i, j + 1)
                boolean pa = a > level;
                boolean pb = b > level;
                boolean pc = c > level;
                boolean pd = d > level;
                if (pa == pb && pb == pc && pc == pd) {
                    continue;
                }
                // Crossings on the edges ab (bottom), bc (right), cd (top), da (left), in this order.
                boolean[] crossed = {pa != pb, pb != pc, pc != pd, pd != pa};
                if (crossed[0]) {
                    ex[0] = i + (level - a) / (b - a);
                    ey[0] = j;
                }
                if (crossed[1]) {
                    ex[1] = i + 1;
                    ey[1] = j + (level - b) / (c - b);
                }
                if (crossed[2]) {
                    ex[2] = i + (level - d) / (c - d);
                    ey[2] = j + 1;
                }
                if (crossed[3]) {
                    ex[3] = i;
                    ey[3] = j + (level - a) / (d - a);
                }
                if (crossed[0] && crossed[1] && crossed[2] && crossed[3]) {
                    boolean centreWithA = ((a + b + c + d) / 4 > level) == pa;
                    if (centreWithA) {
                        // a and c are joined through the centre: the lines cut off corners b and d.
                        segment(path, ex, ey, 0, 1);
                        segment(path, ex, ey, 2, 3);
                    } else {
                        segment(path, ex, ey, 3, 0);
                        segment(path, ex, ey, 1, 2);
                    }
                    continue;
                }
                int first = -1;
                for (int e = 0; e < 4; e++) {
                    if (crossed[e]) {
                        if (first < 0) {
                            first = e;
                        } else {
                            segment(path, ex, ey, first, e);
                        }
                    }
                }
            }
        }
        return path;
    }

    private static void segment(Path2D.Double path, double[] ex, double[] ey, int from, int to) {
        path.moveTo(ex[from], ey[from]);
        path.lineTo(ex[to], ey[to]);
    }
}
