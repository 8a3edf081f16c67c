package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The blocked product equals the textbook loop bit for bit (the same sums in the same order), tails and blocks included. */
class MatrixProductTest {
    private static float[] random(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void blockedEqualsPlainOnOddAndBlockCrossingSizes() {
        Random r = new Random(7);
        int[][] sizes = {{1, 1, 1}, {3, 5, 2}, {7, 9, 13}, {5, 130, 3}, {2, 131, 259}, {33, 257, 300}, {4, 4, 513}};
        for (int[] s : sizes) {
            int n = s[0];
            int k = s[1];
            int m = s[2];
            float[] a = random(r, n * k);
            float[] b = random(r, k * m);
            float[] want = new float[n * m];
            MatrixProduct.multiplyPlain(a, b, want, n, k, m);
            float[] got = random(r, n * m);  // garbage in c must not leak into the result
            MatrixProduct.multiply(a, b, got, n, k, m);
            assertArrayEquals(want, got, n + "x" + k + " times " + k + "x" + m);
        }
    }

    @Test
    void symmetricProductIsTheFullProduct() {
        Random r = new Random(11);
        for (int[] s : new int[][] {{1, 3}, {2, 5}, {7, 4}, {129, 300}, {260, 131}}) {
            int n = s[0];
            int k = s[1];
            float[] x = random(r, n * k);
            float[] xt = new float[k * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    xt[j * n + i] = x[i * k + j];
                }
            }
            float[] want = new float[n * n];
            MatrixProduct.multiplyPlain(x, xt, want, n, k, n);
            float[] got = random(r, n * n);
            MatrixProduct.multiplySymmetric(x, xt, got, n, k);
            assertArrayEquals(want, got, "x xT for x " + n + "x" + k);
            float[] square = new float[n * n];
            MatrixProduct.multiplyPlain(want, want, square, n, n, n);
            MatrixProduct.multiplySymmetric(want, want, got, n, n);
            assertArrayEquals(square, got, "A A for A " + n + "x" + n);
            assertEquals(got[n - 1], got[(n - 1) * n], "mirrored");
        }
    }
}
