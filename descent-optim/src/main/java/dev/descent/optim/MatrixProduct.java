package dev.descent.optim;

import java.util.Arrays;

/**
 * A cache-blocked float32 matrix product over row-major arrays, {@code c = a · b}, for Muon's Newton-Schulz
 * iteration (descent-optim has no tensor library to borrow one from).
 *
 * <p>The loops run in i-k-j order so that the innermost loop walks a row of {@code b} and a row of {@code c}
 * contiguously, which C2 vectorizes. Blocks of {@code b} ({@value #ROWS_PER_BLOCK} rows × {@value #COLS_PER_BLOCK}
 * columns, 128 KiB) stay in the L2 cache while every row of {@code a} passes over them, and the inner loop adds
 * four rows of {@code b} into two rows of {@code c} at a time: each element of {@code c} is loaded and stored once
 * per four multiply-adds, and each element of {@code b} loaded serves two. Each element of {@code c} sums its products in ascending k with one rounding per product
 * ({@code Math.fma}); a scalar reference ({@link #multiplyPlain}) stays beside it for tests.
 */
final class MatrixProduct {
    /** Rows of {@code b} per block. */
    static final int ROWS_PER_BLOCK = 128;
    /** Columns of {@code b} and {@code c} per block. */
    static final int COLS_PER_BLOCK = 256;

    private MatrixProduct() {
    }

    /**
     * {@code c = a · b} with {@code a} n × k, {@code b} k × m and {@code c} n × m, all row-major; {@code c} must not
     * be {@code a} or {@code b}.
     */
    static void multiply(float[] a, float[] b, float[] c, int n, int k, int m) {
        multiply(a, b, c, n, k, m, false);
    }

    /**
     * {@code c = a · b} as {@link #multiply}, for a product known to be symmetric (n × n, as X·Xᵀ and A·A for a
     * symmetric A): computes the upper triangle and mirrors it, half the work. The mirror is what the full
     * product gives bit for bit, since element (j, i) sums the same products in the same order as (i, j).
     */
    static void multiplySymmetric(float[] a, float[] b, float[] c, int n, int k) {
        multiply(a, b, c, n, k, n, true);
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                c[i * n + j] = c[j * n + i];
            }
        }
    }

    private static void multiply(float[] a, float[] b, float[] c, int n, int k, int m, boolean upper) {
        Arrays.fill(c, 0, n * m, 0f);
        for (int j0 = 0; j0 < m; j0 += COLS_PER_BLOCK) {
            int j1 = Math.min(m, j0 + COLS_PER_BLOCK);
            int rows = upper ? Math.min(n, j1) : n;  // rows i >= j1 have no element with j >= i in this block
            for (int l0 = 0; l0 < k; l0 += ROWS_PER_BLOCK) {
                int l1 = Math.min(k, l0 + ROWS_PER_BLOCK);
                int i = 0;
                for (; i + 2 <= rows; i += 2) {  // in the upper case, row i + 1 also fills (i + 1, i), which the mirror overwrites
                    addTwoRowsTimesBlock(a, i * k, b, c, i * m, l0, l1, upper ? Math.max(j0, i) : j0, j1, k, m);
                }
                if (i < rows) {
                    addRowTimesBlock(a, i * k, b, c, i * m, l0, l1, upper ? Math.max(j0, i) : j0, j1, m);
                }
            }
        }
    }

    /**
     * {@link #addRowTimesBlock} for rows {@code ai} and {@code ai + k} of a into rows {@code ci} and {@code ci + m} of c at
     * once, so that each element of b loaded serves two rows (the same sums in the same order as one row at a time).
     */
    private static void addTwoRowsTimesBlock(float[] a, int ai, float[] b, float[] c, int ci, int l0, int l1, int j0, int j1,
                                             int k, int m) {
        int ak = ai + k;
        int cm = ci + m;
        int l = l0;
        for (; l + 4 <= l1; l += 4) {
            float a0 = a[ai + l];
            float a1 = a[ai + l + 1];
            float a2 = a[ai + l + 2];
            float a3 = a[ai + l + 3];
            float e0 = a[ak + l];
            float e1 = a[ak + l + 1];
            float e2 = a[ak + l + 2];
            float e3 = a[ak + l + 3];
            int b0 = l * m;
            int b1 = b0 + m;
            int b2 = b1 + m;
            int b3 = b2 + m;
            for (int j = j0; j < j1; j++) {
                float x0 = b[b0 + j];
                float x1 = b[b1 + j];
                float x2 = b[b2 + j];
                float x3 = b[b3 + j];
                float s = Math.fma(a0, x0, c[ci + j]);
                s = Math.fma(a1, x1, s);
                s = Math.fma(a2, x2, s);
                c[ci + j] = Math.fma(a3, x3, s);
                float t = Math.fma(e0, x0, c[cm + j]);
                t = Math.fma(e1, x1, t);
                t = Math.fma(e2, x2, t);
                c[cm + j] = Math.fma(e3, x3, t);
            }
        }
        if (l < l1) {
            addRowTimesBlock(a, ai, b, c, ci, l, l1, j0, j1, m);
            addRowTimesBlock(a, ak, b, c, cm, l, l1, j0, j1, m);
        }
    }

    /** {@code c[ci + j] += Σ_{l in [l0, l1)} a[ai + l] · b[l·m + j]} for j in [j0, j1), four rows of b at a time. */
    private static void addRowTimesBlock(float[] a, int ai, float[] b, float[] c, int ci, int l0, int l1, int j0, int j1, int m) {
        int l = l0;
        for (; l + 4 <= l1; l += 4) {
            float a0 = a[ai + l];
            float a1 = a[ai + l + 1];
            float a2 = a[ai + l + 2];
            float a3 = a[ai + l + 3];
            int b0 = l * m;
            int b1 = b0 + m;
            int b2 = b1 + m;
            int b3 = b2 + m;
            for (int j = j0; j < j1; j++) {
                float s = Math.fma(a0, b[b0 + j], c[ci + j]);
                s = Math.fma(a1, b[b1 + j], s);
                s = Math.fma(a2, b[b2 + j], s);
                c[ci + j] = Math.fma(a3, b[b3 + j], s);
            }
        }
        for (; l < l1; l++) {
            float al = a[ai + l];
            int bl = l * m;
            for (int j = j0; j < j1; j++) {
                c[ci + j] = Math.fma(al, b[bl + j], c[ci + j]);
            }
        }
    }

    /** The same product by the textbook triple loop, summing in ascending k with {@code Math.fma}: the reference for tests. */
    static void multiplyPlain(float[] a, float[] b, float[] c, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                float s = 0;
                for (int l = 0; l < k; l++) {
                    s = Math.fma(a[i * k + l], b[l * m + j], s);
                }
                c[i * m + j] = s;
            }
        }
    }
}
