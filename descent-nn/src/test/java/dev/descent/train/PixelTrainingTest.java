package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images kept as bytes and converted batch by batch train to the same bits as images converted to floats at load time. */
class PixelTrainingTest {
    private static final List<String> CLASSES = List.of("0", "1", "2", "3");
    private static final int[] SHAPE = {1, 6, 6};

    @TempDir
    Path dir;

    /** n 6 x 6 images of random pixels in 0..127, plus 128 over the 3 x 3 quadrant that is their class. */
    private static Dataset images(String name, int n, long seed, boolean asPixels) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 36];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(4);
            for (int k = 0; k < 36; k++) {
                int quadrant = (k / 6 / 3) * 2 + (k % 6) / 3;
                pixels[i * 36 + k] = (byte) (random.nextInt(128) + (quadrant == labels[i] ? 128 : 0));
            }
        }
        return asPixels ? Dataset.pixelClassification(name, SHAPE, pixels, labels, CLASSES)
                : Dataset.classification(name, SHAPE, unitRange(pixels), labels, CLASSES);
    }

    /** The conversion done once at load time, one pixel at a time, independently of {@code Pixels}. */
    private static float[] unitRange(byte[] pixels) {
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (pixels[i] & 0xFF) / 255f;
        }
        return x;
    }

    private static Split split(boolean asPixels) {
        return new Split(images("train", 300, 1, asPixels), images("test", 1100, 2, asPixels));
    }

    @Test
    void pixelsAndFloatsTrainToTheSameBits() {
        TrainConfig config = TrainConfig.builder().model("mlp(hidden=[16], dropout=0.2)").optimizer("adam(lr=0.01)")
                .epochs(3).batchSize(32).seed(5).data("pixels").build();
        Trainer fromPixels = new Trainer(config, split(true));
        TrainResult a = fromPixels.run(dir.resolve("pixels"));
        Trainer fromFloats = new Trainer(config, split(false));
        TrainResult b = fromFloats.run(dir.resolve("floats"));
        assertTrue(a.ok() && b.ok());
        assertTrue(a.history().get(2).testAcc() > 0.8, "it learns: test accuracy " + a.history().get(2).testAcc());
        for (int e = 0; e < 3; e++) {
            EpochResult p = a.history().get(e);
            EpochResult f = b.history().get(e);
            assertEquals(f.trainLoss(), p.trainLoss(), 0.0, "training loss of epoch " + (e + 1));
            assertEquals(f.trainAcc(), p.trainAcc(), 0.0, "training accuracy of epoch " + (e + 1));
            assertEquals(f.testLoss(), p.testLoss(), 0.0, "test loss of epoch " + (e + 1));
            assertEquals(f.testAcc(), p.testAcc(), 0.0, "test accuracy of epoch " + (e + 1));
        }
        assertArrayEquals(fromFloats.model().store().data(), fromPixels.model().store().data());
    }
}
