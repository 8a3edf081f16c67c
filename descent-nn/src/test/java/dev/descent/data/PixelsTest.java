package dev.descent.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PixelsTest {
    @Test
    void everyByteValueBecomesItsQuotientBy255() {
        byte[] all = new byte[256];
        for (int p = 0; p < 256; p++) {
            all[p] = (byte) p;
        }
        float[] x = Pixels.toUnitRange(all);
        for (int p = 0; p < 256; p++) {
            assertEquals(Float.floatToRawIntBits(p / 255f), Float.floatToRawIntBits(x[p]), "pixel " + p);
        }
        assertEquals(0f, x[0]);
        assertEquals(1f, x[255]);
    }

    @Test
    void theVectorPathGivesTheScalarBitsAtEveryLengthAndOffset() {
        byte[] src = new byte[200];
        new SplittableRandom(3).nextBytes(src);
        for (int length = 0; length <= 70; length++) {
            for (int offset = 0; offset < 4; offset++) {
                float[] vector = new float[length + 5];
                float[] scalar = new float[length + 5];
                java.util.Arrays.fill(vector, -1f);
                java.util.Arrays.fill(scalar, -1f);
                Pixels.toUnitRange(src, offset + 7, vector, offset, length);
                Pixels.toUnitRangeScalar(src, offset + 7, scalar, offset, length);
                assertArrayEquals(scalar, vector, "length " + length + ", offset " + offset);
            }
        }
    }

    @Test
    void rangesOutsideTheArraysAreRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> Pixels.toUnitRange(new byte[10], 5, new float[10], 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> Pixels.toUnitRange(new byte[10], 0, new float[10], 5, 6));
    }
}
