package dev.descent.data;

import dev.descent.data.CsvDataset.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvDatasetTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void classificationMapsSortedClassesToIndices() throws IOException {
        Path file = csv("iris.csv", """
                sepal_length,species,petal_length
                5.1,setosa,1.4
                7.0, versicolor ,4.7

                6.3,virginica,6.0
                4.9,setosa,1.4e0
                """);
        Dataset d = CsvDataset.read(file, "species", Task.CLASSIFICATION);
        assertEquals(4, d.size());
        assertArrayEquals(new int[] {2}, d.exampleShape());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
        assertArrayEquals(new float[] {5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f, 4.9f, 1.4f}, d.features());
        assertEquals("iris.csv", d.name());
    }

    @Test
    void numericClassesSortAsNumbers() throws IOException {
        Path file = csv("n.csv", "x,label\n1,10\n2,9\n3,2\n4,10\n");
        Dataset d = CsvDataset.read(file, "LABEL", Task.CLASSIFICATION);
        assertEquals(List.of("2", "9", "10"), d.classNames());
        assertArrayEquals(new int[] {2, 1, 0, 2}, d.labels());
    }

    @Test
    void regressionAndQuotedFields() throws IOException {
        Path file = csv("r.csv", "\uFEFF\"price, in EUR\",\"a \"\"b\"\"\",c\n\"3.5\",1,-2\n4,\"0.5\",.25\n");
        Dataset d = CsvDataset.read(file, "price, in EUR", Task.REGRESSION);
        assertArrayEquals(new float[] {3.5f, 4f}, d.targets());
        assertArrayEquals(new float[] {1, -2, 0.5f, 0.25f}, d.features());
    }

    @Test
    void nonNumberNamesTheLineAndColumn() throws IOException {
        Path file = csv("bad.csv", "a,b,y\n1,2,0\n3,abc,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(file, "y", Task.CLASSIFICATION));
        assertEquals(file + " line 3, column 2 'b': 'abc' is not a number", e.getMessage());
        Path empty = csv("empty.csv", "a,b,y\n1,,0\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(empty, "y", Task.REGRESSION));
        assertEquals(empty + " line 2, column 2 'b': the empty value is not a number", e.getMessage());
        Path nan = csv("nan.csv", "a,y\nNaN,1\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(nan, "y", Task.REGRESSION));
        assertEquals(nan + " line 2, column 1 'a': 'NaN' is not a number", e.getMessage());
        Path target = csv("target.csv", "a,y\n1,high\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(target, "y", Task.REGRESSION));
        assertEquals(target + " line 2, column 2 'y': 'high' is not a number", e.getMessage());
    }

    @Test
    void structuralErrors() throws IOException {
        Path ragged = csv("ragged.csv", "a,b,y\n1,2,0\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(ragged, "y", Task.REGRESSION));
        assertEquals(ragged + " line 3: 2 fields but the header has 3 columns", e.getMessage());
        Path file = csv("t.csv", "alpha,beta\n1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(file, "betta", Task.REGRESSION));
        assertEquals(file + ": unknown target column 'betta'; did you mean 'beta'? valid names: alpha, beta", e.getMessage());
        Path quote = csv("q.csv", "a,y\n\"1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(quote, "y", Task.REGRESSION));
        assertEquals(quote + " line 2: the quote opened at character 1 is not closed", e.getMessage());
        Path headerOnly = csv("h.csv", "a,y\n\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(headerOnly, "y", Task.REGRESSION));
        assertEquals(headerOnly + ": has a header but no examples", e.getMessage());
        Path twice = csv("twice.csv", "a,a,y\n1,2,3\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(twice, "y", Task.REGRESSION));
        assertEquals(twice + " line 1: column name 'a' appears twice", e.getMessage());
    }

    @Test
    void testFileUsesTheTrainingClasses() throws IOException {
        Path train = csv("train.csv", "x,y\n1,cat\n2,dog\n3,cat\n");
        Path test = csv("test.csv", "x,y\n4,dog\n5,dog\n");
        Split split = CsvDataset.read(train, test, "y", Task.CLASSIFICATION);
        assertEquals(List.of("cat", "dog"), split.test().classNames());
        assertArrayEquals(new int[] {1, 1}, split.test().labels());
        Path unseen = csv("unseen.csv", "x,y\n4,bird\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvDataset.read(train, unseen, "y", Task.CLASSIFICATION));
        assertEquals(unseen + " line 2, column 2 'y': class 'bird' is not one of the training classes [cat, dog]", e.getMessage());
    }

    @Test
    void standardisationUsesTheTrainingStatisticsOnly() throws IOException {
        // Training feature a: 1, 3 (mean 2, std 1); b constant 5 (std taken as 1). Test values far away.
        Path train = csv("train.csv", "a,b,y\n1,5,0.5\n3,5,1.5\n");
        Path test = csv("test.csv", "a,b,y\n102,7,2\n");
        Split split = CsvDataset.read(train, test, "y", Task.REGRESSION).standardized();
        assertArrayEquals(new float[] {-1, 0, 1, 0}, split.train().features());
        assertArrayEquals(new float[] {100, 2}, split.test().features());
        assertArrayEquals(new float[] {2}, split.test().targets(), "targets are not standardised");
        Standardizer s = Standardizer.fit(split.train());
        assertArrayEquals(new double[] {0, 0}, s.mean(), 1e-12);
    }
}
