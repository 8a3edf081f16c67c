package dev.descent.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real Fashion-MNIST, where this machine has it (CI installs Debian's dataset-fashion-mnist); skipped
 * with the reason otherwise.
 */
class FashionMnistTest {
    private static Split data;

    @BeforeAll
    static void load() {
        Optional<Path> dir = MnistFamily.FASHION_MNIST.locate(DataDirs.fromEnvironment());
        assumeTrue(dir.isPresent(), () -> "Fashion-MNIST is not installed: "
                + "apt-get install dataset-fashion-mnist (or ./descent data fetch fashion-mnist) to run this test");
        data = MnistFamily.FASHION_MNIST.load(dir.get());
    }

    @Test
    void sizesShapesAndClasses() {
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertArrayEquals(new int[] {1, 28, 28}, data.train().exampleShape());
        assertEquals(784, data.test().featureCount());
        assertEquals("Ankle boot", data.train().classNames().get(9));
        int[] train = new int[10];
        int[] test = new int[10];
        java.util.Arrays.fill(train, 6000);
        java.util.Arrays.fill(test, 1000);
        assertArrayEquals(train, data.train().classCounts(), "Fashion-MNIST is balanced: 6000 per class");
        assertArrayEquals(test, data.test().classCounts(), "and 1000 per class in the test set");
    }

    @Test
    void knownFirstLabelsAndPixelStatistics() {
        // The first training images are an ankle boot, a T-shirt/top, a T-shirt/top, a dress, a T-shirt/top.
        assertArrayEquals(new int[] {9, 0, 0, 3, 0}, java.util.Arrays.copyOf(data.train().labels(), 5));
        // ... and the first test images an ankle boot, a pullover, a trouser.
        assertArrayEquals(new int[] {9, 2, 1}, java.util.Arrays.copyOf(data.test().labels(), 3));
        // The well-known normalisation constants of the training pixels: mean 0.2860, std 0.3530.
        float[] x = data.train().features();
        double sum = 0;
        double sumSq = 0;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x) {
            sum += v;
            sumSq += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / x.length;
        assertEquals(0.2860, mean, 5e-5);
        assertEquals(0.3530, Math.sqrt(sumSq / x.length - mean * mean), 5e-5);
        assertEquals(0f, min);
        assertEquals(1f, max);
    }
}
