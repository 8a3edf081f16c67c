package dev.descent.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {
    /** 5 examples of 2 features: example i is (i, 10 i), label i % 3. */
    static Dataset small() {
        float[] x = new float[10];
        int[] y = new int[5];
        for (int i = 0; i < 5; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i % 3;
        }
        return Dataset.classification("small", new int[] {2}, x, y, 3);
    }

    @Test
    void sizesAndAccessors() {
        Dataset d = small();
        assertEquals(5, d.size());
        assertEquals(2, d.featureCount());
        assertTrue(d.isClassification());
        assertEquals(3, d.classCount());
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertArrayEquals(new int[] {2, 2, 1}, d.classCounts());
        assertArrayEquals(new float[] {3, 30}, d.example(3));
        assertThrows(IllegalStateException.class, d::targets);
        assertEquals("small: 5 examples of shape [2], 3 classes", d.toString());
    }

    @Test
    void imageShapeGivesTheFeatureCount() {
        Dataset d = Dataset.classification("img", new int[] {1, 2, 3}, new float[12], new int[2], 10);
        assertEquals(6, d.featureCount());
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {1, 2, 3}, d.exampleShape());
    }

    @Test
    void labelOutsideTheClassRangeNamesTheExample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("set", new int[] {1}, new float[3], new int[] {0, 3, 1}, 3));
        assertEquals("set: label 3 of example 1 is outside the class range [0, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("set", new int[] {1}, new float[3], new int[] {0, -1, 1}, 3));
        assertTrue(e.getMessage().contains("label -1 of example 1"), e.getMessage());
    }

    @Test
    void sizesMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("set", new int[] {3}, new float[7], new int[2], 2));
        assertTrue(e.getMessage().contains("7 feature values are not a whole number of examples of 3 features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.regression("set", new int[] {2}, new float[6], new float[2]));
        assertEquals("set: 3 examples but 2 targets", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.regression("set", new int[] {2, 0}, new float[6], new float[3]));
        assertTrue(e.getMessage().contains("every size must be 1 or more"), e.getMessage());
    }

    @Test
    void copiesGatherRowsInIndexOrder() {
        Dataset d = small();
        float[] dst = new float[7];
        d.copyFeatures(new int[] {9, 4, 1}, 1, 2, dst, 1);
        assertArrayEquals(new float[] {0, 4, 40, 1, 10, 0, 0}, dst);
        int[] labels = new int[2];
        d.copyLabels(new int[] {4, 2}, 0, 2, labels, 0);
        assertArrayEquals(new int[] {1, 2}, labels);
        assertThrows(IndexOutOfBoundsException.class, () -> d.copyFeatures(new int[] {5}, 0, 1, new float[2], 0));
    }

    @Test
    void subsetKeepsClassesAndOrder() {
        Dataset s = small().subset(new int[] {4, 0});
        assertArrayEquals(new float[] {4, 40, 0, 0}, s.features());
        assertArrayEquals(new int[] {1, 0}, s.labels());
        assertEquals(3, s.classCount());
    }

    @Test
    void splitIsADisjointSeededPartition() {
        float[] x = new float[100];
        float[] t = new float[100];
        for (int i = 0; i < 100; i++) {
            x[i] = i;
            t[i] = -i;
        }
        Dataset d = Dataset.regression("r", new int[] {1}, x, t);
        Split split = d.split(0.2, 7);
        assertEquals(80, split.train().size());
        assertEquals(20, split.test().size());
        assertEquals("r/train", split.train().name());
        Set<Float> seen = new HashSet<>();
        for (Dataset part : List.of(split.train(), split.test())) {
            for (int i = 0; i < part.size(); i++) {
                assertEquals(-part.features()[i], part.targets()[i], 0f);
                assertTrue(seen.add(part.features()[i]), "example " + part.features()[i] + " is in both parts");
            }
        }
        assertEquals(100, seen.size());
        assertArrayEquals(split.test().features(), d.split(0.2, 7).test().features());
        assertFalse(Arrays.equals(split.test().features(), d.split(0.2, 8).test().features()));
        assertThrows(IllegalArgumentException.class, () -> d.split(1.0, 7));
    }

    @Test
    void splitPartsMustAgree() {
        Dataset a = small();
        Dataset b = Dataset.classification("other", new int[] {2}, new float[2], new int[1], 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Split(a, b));
        assertTrue(e.getMessage().contains("do not have the same classes"), e.getMessage());
    }

    /** 3 examples of 2 x 2 pixels: example i holds 10 i + (0, 1, 2, 255). */
    static Dataset pixels() {
        byte[] p = new byte[12];
        for (int i = 0; i < 3; i++) {
            p[4 * i] = (byte) (10 * i);
            p[4 * i + 1] = (byte) (10 * i + 1);
            p[4 * i + 2] = (byte) (10 * i + 2);
            p[4 * i + 3] = (byte) (10 * i + 255);
        }
        return Dataset.pixelClassification("px", new int[] {1, 2, 2}, p, new int[] {2, 0, 1}, List.of("a", "b", "c"));
    }

    private static float[] unit(int... p) {
        float[] x = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            x[i] = (p[i] & 0xFF) / 255f;
        }
        return x;
    }

    @Test
    void aSetOfPixelsGivesTheirQuotientsBy255WhereverFeaturesAreCopiedOut() {
        Dataset d = pixels();
        assertTrue(d.keepsPixels());
        assertFalse(small().keepsPixels());
        assertEquals(3, d.size());
        assertEquals(4, d.featureCount());
        assertEquals("px: 3 examples of shape [1, 2, 2], 3 classes", d.toString());
        float[] all = unit(0, 1, 2, 255, 10, 11, 12, 9, 20, 21, 22, 19);
        assertArrayEquals(all, d.features());
        assertArrayEquals(unit(10, 11, 12, 9), d.example(1));
        float[] dst = new float[10];
        d.copyFeatures(new int[] {7, 2, 0}, 1, 2, dst, 1);
        assertArrayEquals(new float[] {0, all[8], all[9], all[10], all[11], all[0], all[1], all[2], all[3], 0}, dst);
        float[] range = new float[9];
        d.copyFeatures(1, 2, range, 1);
        assertArrayEquals(new float[] {0, all[4], all[5], all[6], all[7], all[8], all[9], all[10], all[11]}, range);
        assertThrows(IndexOutOfBoundsException.class, () -> d.copyFeatures(2, 2, new float[8], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.copyFeatures(new int[] {3}, 0, 1, new float[4], 0));
    }

    @Test
    void aSubsetOfPixelsKeepsPixelsAndOtherFeaturesAreFloats() {
        Dataset s = pixels().subset("two", new int[] {2, 0});
        assertTrue(s.keepsPixels());
        assertEquals("two", s.name());
        assertArrayEquals(unit(20, 21, 22, 19, 0, 1, 2, 255), s.features());
        assertArrayEquals(new int[] {1, 2}, s.labels());
        assertEquals(List.of("a", "b", "c"), s.classNames());
        Dataset f = s.withFeatures(new float[8]);
        assertFalse(f.keepsPixels());
        assertArrayEquals(new float[8], f.features());
        assertThrows(IndexOutOfBoundsException.class, () -> pixels().subset(new int[] {3}));
    }

    @Test
    void pixelsMustMakeWholeExamples() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.pixelClassification("px", new int[] {1, 2, 2}, new byte[6], new int[1], List.of("a")));
        assertEquals("px: 6 pixels are not a whole number of examples of 4 features (shape [1, 2, 2])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.pixelClassification("px", new int[] {4}, new byte[8], new int[] {0, 1}, List.of("a")));
        assertEquals("px: label 1 of example 1 is outside the class range [0, 1)", e.getMessage());
    }

    @Test
    void pixelsScaleToTheUnitRange() {
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f}, Pixels.toUnitRange(new byte[] {0, (byte) 255, (byte) 128, 1}));
    }
}
