package dev.descent.data;

import dev.descent.optim.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSpecsTest {
    @TempDir
    Path root;

    private DataDirs dirs() {
        return new DataDirs(root.resolve("env"), root.resolve("home"), root.resolve("system"));
    }

    @Test
    void syntheticSetsWithDefaultsAndArguments() {
        Split blobs = DataSpecs.load("blobs", dirs());
        assertEquals(800, blobs.train().size());
        assertEquals(200, blobs.test().size());
        assertEquals(3, blobs.train().classCount());
        assertEquals(2, blobs.train().featureCount());
        Split custom = DataSpecs.load("Blobs(n=50, classes=5, dims=7, std=0.1, test=0.5, seed=3)", dirs());
        assertEquals(25, custom.test().size());
        assertEquals(5, custom.train().classCount());
        assertEquals(7, custom.train().featureCount());
        assertArrayEquals(custom.train().features(), DataSpecs.load("blobs(seed=3, n=50, classes=5, dims=7, std=0.1, test=0.5)", dirs())
                .train().features());
        assertEquals(2, DataSpecs.load("spirals(n=100, noise=0)", dirs()).test().classCount());
        Split linear = DataSpecs.load("linear(n=40, dims=3)", dirs());
        assertFalse(linear.train().isClassification());
        assertEquals(3, linear.test().featureCount());
    }

    @Test
    void mnistFamilyByName() throws IOException {
        IdxFixtures.writeSet(root.resolve("env/fashion-mnist"), 6, 2, true);
        assertEquals(6, DataSpecs.load("fashion-mnist", dirs()).train().size());
        assertEquals(2, DataSpecs.load("fashion_mnist", dirs()).test().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSpecs.load("kmnist", dirs()));
        assertTrue(e.getMessage().startsWith("kmnist not found; looked in "), e.getMessage());
    }

    @Test
    void csvWithAFractionOrATestFile() throws IOException {
        StringBuilder text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 20; i++) {
            text.append(i).append(',').append(i * i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Path file = Files.writeString(root.resolve("numbers.csv"), text);
        Split split = DataSpecs.load("csv(\"" + file + "\", target=label, test=0.25, seed=1)", dirs());
        assertEquals(15, split.train().size());
        assertEquals(List.of("even", "odd"), split.train().classNames());
        Standardizer s = Standardizer.fit(split.train());
        assertEquals(0, s.mean()[0], 1e-6, "standardised by default");
        assertEquals(1, s.std()[1], 1e-6);

        Path test = Files.writeString(root.resolve("test.csv"), "a,b,label\n100,3,odd\n");
        Split files = DataSpecs.load("csv(path='" + file + "', target='label', test_file='" + test + "', standardize=false)", dirs());
        assertEquals(20, files.train().size());
        assertArrayEquals(new float[] {100, 3}, files.test().features());
        assertArrayEquals(new int[] {1}, files.test().labels());

        Path numbers = Files.writeString(root.resolve("line.csv"), "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
        Split regression = DataSpecs.load("csv('" + numbers + "', target=y, task=regression, test=0.2, standardize=false)", dirs());
        assertFalse(regression.train().isClassification());
        for (Dataset part : List.of(regression.train(), regression.test())) {
            for (int i = 0; i < part.size(); i++) {
                assertEquals(2 * part.features()[i], part.targets()[i]);
            }
        }
    }

    @Test
    void errorsNameTheProblem() {
        SpecException e = assertThrows(SpecException.class, () -> DataSpecs.load("blob(n=5)", dirs()));
        assertEquals("unknown data set 'blob'; did you mean 'blobs'? valid names: blobs, csv, fashion-mnist, kmnist, linear, mnist, spirals",
                e.getMessage());
        e = assertThrows(SpecException.class, () -> DataSpecs.load("blobs(classs=5)", dirs()));
        assertEquals("unknown key for blobs 'classs'; did you mean 'classes'? valid names: classes, dims, n, seed, std, test", e.getMessage());
        e = assertThrows(SpecException.class, () -> DataSpecs.load("spirals(n=2.5)", dirs()));
        assertEquals("spirals: n=2.5 is not an integer", e.getMessage());
        e = assertThrows(SpecException.class, () -> DataSpecs.load("csv('x.csv')", dirs()));
        assertTrue(e.getMessage().startsWith("csv: target= is required"), e.getMessage());
        e = assertThrows(SpecException.class, () -> DataSpecs.load("csv('x.csv', target=y, task=ranking)", dirs()));
        assertEquals("csv: task=ranking must be classification or regression", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> DataSpecs.load("blobs(classes=0)", dirs()));
        assertEquals("classes 0: must be 1 or more", bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> DataSpecs.load("blobs(test=1.5)", dirs()));
        assertEquals("testFraction 1.5: must be strictly between 0 and 1", bad.getMessage());
    }
}
