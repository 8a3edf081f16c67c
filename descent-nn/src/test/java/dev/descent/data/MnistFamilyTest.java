package dev.descent.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistFamilyTest {
    @TempDir
    Path root;

    private DataDirs dirs(boolean withEnv) {
        return new DataDirs(withEnv ? root.resolve("env") : null, root.resolve("home"), root.resolve("usr-share-datasets"));
    }

    @Test
    void candidatesInOrder() {
        assertEquals(List.of(root.resolve("env/kmnist"), root.resolve("home/.descent/data/kmnist"),
                root.resolve("usr-share-datasets/kmnist")), dirs(true).candidates("kmnist"));
        assertEquals(List.of(root.resolve("home/.descent/data/kmnist"), root.resolve("usr-share-datasets/kmnist")),
                dirs(false).candidates("kmnist"));
        assertEquals(root.resolve("env/mnist"), dirs(true).downloadDir("mnist"));
        assertEquals(root.resolve("home/.descent/data/mnist"), dirs(false).downloadDir("mnist"));
    }

    @Test
    void theFirstCompleteFolderWins() throws IOException {
        DataDirs dirs = dirs(true);
        IdxFixtures.writeSet(root.resolve("usr-share-datasets/fashion-mnist"), 6, 2, true);
        assertEquals(Optional.of(root.resolve("usr-share-datasets/fashion-mnist")), MnistFamily.FASHION_MNIST.locate(dirs));
        IdxFixtures.writeSet(root.resolve("home/.descent/data/fashion-mnist"), 6, 2, false);
        assertEquals(Optional.of(root.resolve("home/.descent/data/fashion-mnist")), MnistFamily.FASHION_MNIST.locate(dirs));
        // An incomplete folder earlier in the order is passed over.
        Path env = root.resolve("env/fashion-mnist");
        IdxFixtures.writeSet(env, 6, 2, false);
        Files.delete(env.resolve("t10k-labels-idx1-ubyte"));
        assertEquals(Optional.of(root.resolve("home/.descent/data/fashion-mnist")), MnistFamily.FASHION_MNIST.locate(dirs));
        assertEquals(Optional.empty(), MnistFamily.MNIST.locate(dirs));
    }

    @Test
    void missingSetSaysWhereItLookedAndHowToGetIt() throws IOException {
        Files.createDirectories(root.resolve("usr-share-datasets/fashion-mnist"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistFamily.FASHION_MNIST.load(dirs(false)));
        assertEquals("fashion-mnist not found; looked in $DESCENT_DATA/fashion-mnist (DESCENT_DATA is not set), "
                + root.resolve("home/.descent/data/fashion-mnist") + " (does not exist), "
                + root.resolve("usr-share-datasets/fashion-mnist") + " (lacks train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
                + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]); "
                + "get it with apt-get install dataset-fashion-mnist or ./descent data fetch fashion-mnist", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MnistFamily.KMNIST.require(dirs(true)));
        assertTrue(e.getMessage().startsWith("kmnist not found; looked in " + root.resolve("env/kmnist") + " (does not exist), "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; get it with ./descent data fetch kmnist"), e.getMessage());
    }

    @Test
    void loadsAGeneratedSet() throws IOException {
        IdxFixtures.writeSet(root.resolve("home/.descent/data/mnist"), 12, 5, true);
        Split split = MnistFamily.MNIST.load(dirs(false));
        assertEquals("mnist/train", split.train().name());
        assertEquals(12, split.train().size());
        assertEquals(5, split.test().size());
        assertArrayEquals(new int[] {1, 4, 3}, split.train().exampleShape());
        assertEquals(10, split.train().classCount());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, split.test().labels());
        assertTrue(split.train().keepsPixels(), "the images stay bytes until a batch needs them");
        assertArrayEquals(Pixels.toUnitRange(IdxFixtures.pixels(12, 4, 3)), split.train().features());
        assertEquals(19 / 255f, split.train().features()[2 * 12 + 5], "pixel 5 of image 2 is (7 * 2 + 5) / 255");
    }

    @Test
    void countMismatchBetweenImagesAndLabels() throws IOException {
        Path dir = IdxFixtures.writeSet(root.resolve("set"), 6, 2, false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFile.encodeLabels(new int[] {1, 2, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistFamily.KMNIST.load(dir));
        assertEquals("kmnist: " + dir.resolve("t10k-images-idx3-ubyte") + " holds 2 images but "
                + dir.resolve("t10k-labels-idx1-ubyte") + " holds 3 labels", e.getMessage());
    }

    @Test
    void namesAndChecksums() {
        assertEquals(MnistFamily.FASHION_MNIST, MnistFamily.byName("Fashion-MNIST"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistFamily.byName("fashion_mnist"));
        assertEquals("unknown data set 'fashion_mnist'; did you mean 'fashion-mnist'? valid names: fashion-mnist, kmnist, mnist",
                e.getMessage());
        for (MnistFamily set : MnistFamily.values()) {
            assertEquals(4, set.sha256().size());
            for (String file : MnistFamily.FILES) {
                assertTrue(set.sha256().get(file + ".gz").matches("[0-9a-f]{64}"), set + " " + file);
            }
            assertTrue(set.url().endsWith("/"));
            assertEquals(10, set.classNames().size());
        }
    }
}
