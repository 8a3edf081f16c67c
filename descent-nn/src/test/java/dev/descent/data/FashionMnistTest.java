package dev.descent.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
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

    /**
     * The SHA-256 sums {@code descent data fetch} checks are those of Zalando's downloads. Debian recompressed
     * the files without their gzip header's file name and time; put back (flag FNAME, the upload's mtime of
     * 2017-08-31, the name), Debian's bytes are the downloads exactly: the same sums, and the MD5 sums
     * Zalando's README publishes.
     */
    @Test
    void recordedChecksumsAreTheDownloads() throws Exception {
        Path debian = DataDirs.DEBIAN.resolve("fashion-mnist");
        assumeTrue(Files.isDirectory(debian), () -> debian + " is missing: apt-get install dataset-fashion-mnist to run this test");
        Map<String, Integer> mtimes = Map.of("train-images-idx3-ubyte", 1504176606, "train-labels-idx1-ubyte", 1504176606,
                "t10k-images-idx3-ubyte", 1504176627, "t10k-labels-idx1-ubyte", 1504176627);
        Map<String, String> md5 = Map.of("train-images-idx3-ubyte", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                "train-labels-idx1-ubyte", "25c81989df183df01b3e8a0aad5dffbe",
                "t10k-images-idx3-ubyte", "bef4ecab320f06d8554ea6380940ec79",
                "t10k-labels-idx1-ubyte", "bb300cfdad3c16e7a12a480ee83cd310");
        for (String name : MnistFamily.FILES) {
            byte[] packaged = Files.readAllBytes(debian.resolve(name + ".gz"));
            assumeTrue(packaged[3] == 0, () -> name + ".gz: not Debian's header (flags " + packaged[3] + ")");
            ByteArrayOutputStream original = new ByteArrayOutputStream();
            int t = mtimes.get(name);
            original.write(new byte[] {0x1f, (byte) 0x8b, 8, 8, (byte) t, (byte) (t >>> 8), (byte) (t >>> 16), (byte) (t >>> 24), 0, 3});
            original.write((name + "\0").getBytes(StandardCharsets.US_ASCII));
            original.write(packaged, 10, packaged.length - 10);
            byte[] download = original.toByteArray();
            assertEquals(MnistFamily.FASHION_MNIST.sha256().get(name + ".gz"),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download)), name);
            assertEquals(md5.get(name), HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(download)), name);
        }
    }
}
