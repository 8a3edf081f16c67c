package dev.descent.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticTest {
    @Test
    void blobsAreSeededBalancedAndSeparable() {
        Dataset a = Synthetic.blobs(301, 3, 4, 0.5, 11);
        Dataset b = Synthetic.blobs(301, 3, 4, 0.5, 11);
        assertArrayEquals(a.features(), b.features());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(java.util.Arrays.equals(a.features(), Synthetic.blobs(301, 3, 4, 0.5, 12).features()));
        assertArrayEquals(new int[] {101, 100, 100}, a.classCounts());
        assertArrayEquals(new int[] {4}, a.exampleShape());

        // The class means are the centres (within a few standard errors), and each example is nearest its own.
        int d = 4;
        double[][] mean = new double[3][d];
        int[] counts = a.classCounts();
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < d; j++) {
                mean[a.labels()[i]][j] += a.features()[i * d + j] / counts[a.labels()[i]];
            }
        }
        int nearestOwn = 0;
        for (int i = 0; i < a.size(); i++) {
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < 3; c++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = a.features()[i * d + j] - mean[c][j];
                    dist += diff * diff;
                }
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = c;
                }
            }
            nearestOwn += best == a.labels()[i] ? 1 : 0;
        }
        assertTrue(nearestOwn >= 295, nearestOwn + " of 301 nearest their own class mean");
        // Examples are not grouped by class.
        assertFalse(a.labels()[0] == 0 && a.labels()[1] == 1 && a.labels()[2] == 2 && a.labels()[3] == 0);
    }

    @Test
    void spiralsWindAroundTheOrigin() {
        Dataset s = Synthetic.twoSpirals(400, 0.0, 5);
        assertArrayEquals(new int[] {200, 200}, s.classCounts());
        for (int i = 0; i < s.size(); i++) {
            float x = s.features()[2 * i];
            float y = s.features()[2 * i + 1];
            double r = Math.hypot(x, y);
            assertTrue(r <= 1 + 1e-6, "radius " + r);
            // Without noise, a class-0 point at radius r lies at angle 3 pi r, class 1 at 3 pi r + pi.
            double angle = 3 * Math.PI * r + s.labels()[i] * Math.PI;
            assertEquals(r * Math.cos(angle), x, 1e-5);
            assertEquals(r * Math.sin(angle), y, 1e-5);
        }
        assertArrayEquals(s.features(), Synthetic.twoSpirals(400, 0.0, 5).features());
        assertThrows(IllegalArgumentException.class, () -> Synthetic.twoSpirals(1, 0.1, 5));
    }

    @Test
    void linearRegressionRecoversItsWeights() {
        Synthetic.Linear lin = Synthetic.linear(2000, 3, 0.1, 9);
        Dataset d = lin.data();
        assertEquals(2000, d.size());
        assertFalse(d.isClassification());
        // Least squares on [x, 1] by the normal equations, in double.
        int p = 4;
        double[][] a = new double[p][p + 1];
        for (int i = 0; i < d.size(); i++) {
            double[] row = {d.features()[3 * i], d.features()[3 * i + 1], d.features()[3 * i + 2], 1};
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) {
                    a[r][c] += row[r] * row[c];
                }
                a[r][p] += row[r] * d.targets()[i];
            }
        }
        double[] solution = solve(a);
        for (int j = 0; j < 3; j++) {
            assertEquals(lin.weights()[j], solution[j], 0.01, "weight " + j);
        }
        assertEquals(lin.bias(), solution[3], 0.01);
        // The residual's spread is the noise.
        double sq = 0;
        for (int i = 0; i < d.size(); i++) {
            double pred = solution[3];
            for (int j = 0; j < 3; j++) {
                pred += solution[j] * d.features()[3 * i + j];
            }
            sq += (d.targets()[i] - pred) * (d.targets()[i] - pred);
        }
        assertEquals(0.1, Math.sqrt(sq / d.size()), 0.01);
    }

    /** Gauss-Jordan elimination with partial pivoting on an augmented p x (p + 1) matrix. */
    private static double[] solve(double[][] a) {
        int p = a.length;
        for (int col = 0; col < p; col++) {
            int pivot = col;
            for (int r = col + 1; r < p; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < p; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= p; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] x = new double[p];
        for (int r = 0; r < p; r++) {
            x[r] = a[r][p] / a[r][r];
        }
        return x;
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Synthetic.blobs(10, 0, 2, 1, 0));
        assertEquals("classes 0: must be 1 or more", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Synthetic.linear(10, 2, -1, 0));
        assertEquals("noise -1.0: must be a finite number, 0 or more", e.getMessage());
    }
}
