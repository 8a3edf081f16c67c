package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class GemmTest {

    /** A stored operand: its array, offset and leading dimension, with guard values around the matrix. */
    private static final class Stored {
        final float[] data;
        final int off;
        final int ld;

        Stored(float[] data, int off, int ld) {
            this.data = data;
            this.off = off;
            this.ld = ld;
        }
    }

    /** rows x cols stored with a random offset and a leading dimension cols + pad; guards hold NaN-free junk. */
    private static Stored random(SplittableRandom r, int rows, int cols, int pad) {
        int ld = Math.max(1, cols + pad);
        int off = r.nextInt(5);
        float[] data = new float[off + rows * ld + r.nextInt(3)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return new Stored(data, off, ld);
    }

    /** Runs sgemm and the scalar loop on the same inputs and compares all of C, guards included. */
    private static void check(boolean ta, boolean tb, int m, int n, int k, boolean acc, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Stored a = ta ? random(r, k, m, r.nextInt(4)) : random(r, m, k, r.nextInt(4));
        Stored b = tb ? random(r, n, k, r.nextInt(4)) : random(r, k, n, r.nextInt(4));
        Stored c = random(r, m, n, 1 + r.nextInt(4));
        float[] expected = c.data.clone();
        float[] actual = c.data.clone();
        Gemm.scalar(ta, tb, m, n, k, a.data, a.off, a.ld, b.data, b.off, b.ld, expected, c.off, c.ld, acc);
        Gemm.sgemm(ta, tb, m, n, k, a.data, a.off, a.ld, b.data, b.off, b.ld, actual, c.off, c.ld, acc);
        String what = "transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k + " accumulate=" + acc;
        for (int idx = 0; idx < actual.length; idx++) {
            int rel = idx - c.off;
            int i = Math.floorDiv(rel, c.ld);
            int j = rel - i * c.ld;
            boolean inside = rel >= 0 && i < m && j < n;
            if (!inside) {
                if (Float.floatToRawIntBits(actual[idx]) != Float.floatToRawIntBits(c.data[idx])) {
                    fail(what + ": element " + idx + " outside C changed");
                }
                continue;
            }
            // Both results are within about k rounding errors of the exact sum of |a||b| terms.
            double mag = acc ? Math.abs(c.data[idx]) : 0;
            for (int p = 0; p < k; p++) {
                float av = ta ? a.data[a.off + p * a.ld + i] : a.data[a.off + i * a.ld + p];
                float bv = tb ? b.data[b.off + j * b.ld + p] : b.data[b.off + p * b.ld + j];
                mag += Math.abs((double) av * bv);
            }
            double tol = 2 * (k + 2) * Math.ulp(1f) / 2 * mag + 1e-30;
            if (Math.abs(actual[idx] - expected[idx]) > tol) {
                fail(what + ": C[" + i + "][" + j + "] = " + actual[idx] + ", scalar loop gives " + expected[idx]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    private static void checkAllCases(int m, int n, int k, long seed) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (boolean acc : new boolean[] {false, true}) {
                    check(ta, tb, m, n, k, acc, seed++);
                }
            }
        }
    }

    @Test
    void oddSizesExerciseEveryTail() {
        int[] sizes = {1, 2, 7, 13, 33, 100};
        long seed = 1;
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : new int[] {1, 7, 33}) {
                    checkAllCases(m, n, k, seed);
                    seed += 8;
                }
            }
        }
    }

    @Test
    void kBlocksAndRowBlocks() {
        // k past one and two k-blocks, m past one row block of packed A, n past several column panels.
        int kc = Gemm.KC;
        checkAllCases(7, 33, kc + 1, 100);
        checkAllCases(Gemm.MC + 5, 2 * Gemm.NR + 3, 2 * kc + 3, 200);
        checkAllCases(1, 257, kc + 7, 300);
        checkAllCases(2, 13, 2 * kc + 1, 400);
    }

    @Test
    void largeProductsTakeThePackedAndSplitPaths() {
        assertTrue(2L * 257 * 257 * 257 >= Gemm.SPLIT_FLOPS, "257^3 should be split across threads");
        checkAllCases(257, 257, 257, 500);
        checkAllCases(300, 100, 600, 600); // split along m
        checkAllCases(33, 130, 2000, 700);
        // A copied into panels.
        assertTrue(2L * 13 * 520 * 1300 >= Gemm.PACK_A_FLOPS && 520 >= Gemm.PACK_A_COLUMNS);
        checkAllCases(13, 520, 1300, 750);
        // B transposed and few rows: the transposed form (C^T = op(B)^T op(A)^T), split across threads.
        assertTrue(2L * 40 * 2000 * 300 >= Gemm.SPLIT_FLOPS);
        checkAllCases(40, 2000, 300, 900);
    }

    @Test
    void smallResultsOverALongDepthAreDotTiles() {
        // a convolution's weight gradient (32 x 9 over a 26 x 26 image), and odd sizes for the tile edges
        assertTrue(32 * 9 <= Gemm.DOT_OUTPUTS && 676 >= Gemm.DOT_DEPTH, "these shapes should take the dot tiles");
        checkAllCases(32, 9, 676, 900);
        checkAllCases(5, 7, Gemm.DOT_DEPTH + 3, 910);
        checkAllCases(3, 31, Gemm.DOT_DEPTH + Gemm.LANES - 1, 920);
    }

    @Test
    void columnsPastOnePackedBlock() {
        check(false, false, 3, Gemm.NC + 7, 5, false, 800);
        check(true, true, 7, Gemm.NC + Gemm.NR + 1, 3, true, 801);
    }

    @Test
    void resultDoesNotDependOnThreadsOrPath() {
        SplittableRandom r = new SplittableRandom(9);
        int m = 260;
        int n = 600;
        int k = 700;
        Stored a = random(r, m, k, 3);
        Stored b = random(r, k, n, 5);
        float[] threaded = new float[m * n];
        float[] single = new float[m * n];
        Gemm.sgemm(false, false, m, n, k, a.data, a.off, a.ld, b.data, b.off, b.ld, threaded, 0, n, false);
        Gemm.blocked(false, false, m, n, k, a.data, a.off, a.ld, b.data, b.off, b.ld, single, 0, n, false, false, false);
        assertTrue(n >= Gemm.PACK_A_COLUMNS, "the threaded call should copy A into panels");
        assertArrayEquals(single, threaded, "threads or packing of A changed the result");
        // Two rows alone (the row path, no packing) give the same bits as inside the large product.
        float[] two = new float[2 * n];
        Gemm.sgemm(false, false, 2, n, k, a.data, a.off + 100 * a.ld, a.ld, b.data, b.off, b.ld, two, 0, n, false);
        assertArrayEquals(Arrays.copyOfRange(single, 100 * n, 102 * n), two, "row path differs from the kernel");
        // B stored transposed with few rows of C takes the transposed form: still the same bits.
        Stored bt = random(r, 2000, k, 1);
        float[] transposedForm = new float[40 * 2000];
        float[] direct = new float[40 * 2000];
        Gemm.sgemm(false, true, 40, 2000, k, a.data, a.off, a.ld, bt.data, bt.off, bt.ld, transposedForm, 0, 2000, false);
        Gemm.blocked(false, true, 40, 2000, k, a.data, a.off, a.ld, bt.data, bt.off, bt.ld, direct, 0, 2000, false,
                false, false);
        assertArrayEquals(direct, transposedForm, "the transposed form changed the result");
    }

    @Test
    void emptyProducts() {
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[4], c);
        Gemm.sgemm(false, false, 0, 2, 3, new float[0], 0, 3, new float[6], 0, 2, c, 0, 2, false);
    }

    @Test
    void knownProduct() {
        float[] a = {1, 2, 3, 4, 5, 6}; // 2 x 3
        float[] b = {7, 8, 9, 10, 11, 12}; // 3 x 2
        float[] c = new float[4];
        Gemm.sgemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
        Gemm.sgemm(true, true, 2, 2, 3, b, 0, 2, a, 0, 3, c, 0, 2, true); // (B^T A^T) = (AB)^T, added
        assertArrayEquals(new float[] {58 + 58, 64 + 139, 139 + 64, 154 + 154}, c);
    }

    @Test
    void badArgumentsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 3, new float[6], 0, 2, new float[6], 0, 2, new float[4], 0, 2, false));
        assertEquals("gemm: leading dimension of A is 2, expected at least 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, true, 2, 2, 3, new float[6], 0, 3, new float[5], 0, 3, new float[4], 0, 2, false));
        assertTrue(e.getMessage().startsWith("gemm: B (2x3, offset 0, leading dimension 3) needs 6 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 2, 3, new float[6], 0, 3, new float[6], 0, 2, new float[4], 0, 2, false));
        assertTrue(e.getMessage().contains("m=-1"), e.getMessage());
    }
}
