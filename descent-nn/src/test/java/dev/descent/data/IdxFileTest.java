package dev.descent.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFileTest {
    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzipFilesAlike() throws IOException {
        byte[] pixels = IdxFixtures.pixels(5, 4, 3);
        byte[] images = IdxFile.encodeImages(5, 4, 3, pixels);
        Files.write(dir.resolve("plain"), images);
        Files.write(dir.resolve("packed.gz"), IdxFixtures.gzip(images));
        Files.write(dir.resolve("packed-without-suffix"), IdxFixtures.gzip(images));
        for (String name : new String[] {"plain", "packed.gz", "packed-without-suffix"}) {
            IdxFile.Images read = IdxFile.readImages(dir.resolve(name));
            assertEquals(5, read.count());
            assertEquals(4, read.rows());
            assertEquals(3, read.cols());
            assertArrayEquals(pixels, read.pixels(), name);
        }
        Files.write(dir.resolve("labels.gz"), IdxFixtures.gzip(IdxFile.encodeLabels(new int[] {3, 0, 9})));
        assertArrayEquals(new int[] {3, 0, 9}, IdxFile.readLabels(dir.resolve("labels.gz"), 10));
    }

    @Test
    void headerIsBigEndian() {
        byte[] images = IdxFile.encodeImages(258, 1, 1, new byte[258]);
        assertArrayEquals(new byte[] {0, 0, 8, 3, 0, 0, 1, 2, 0, 0, 0, 1, 0, 0, 0, 1}, Arrays.copyOf(images, 16));
    }

    @Test
    void wrongMagicNumberNamesTheFileAndBoth() throws IOException {
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        Files.write(labels, IdxFile.encodeLabels(new int[] {1, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readImages(labels));
        assertEquals(labels + ": magic number 0x00000801 at byte offset 0, expected 0x00000803 (IDX images); this is a labels file",
                e.getMessage());
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, world");
        e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readLabels(text, 10));
        assertTrue(e.getMessage().startsWith(text + ": magic number 0x68656c6c at byte offset 0, expected 0x00000801"), e.getMessage());
    }

    @Test
    void truncatedFileNamesExpectedAndActualEnd() throws IOException {
        byte[] images = IdxFile.encodeImages(5, 4, 3, IdxFixtures.pixels(5, 4, 3));
        Path file = dir.resolve("short");
        Files.write(file, Arrays.copyOf(images, 50));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readImages(file));
        assertEquals(file + ": truncated: expected 5 x 4 x 3 = 60 bytes of images in bytes 16 to 76, but the file ends at byte offset 50"
                + " (26 bytes short)", e.getMessage());

        Path header = dir.resolve("header-only");
        Files.write(header, Arrays.copyOf(images, 10));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readImages(header));
        assertTrue(e.getMessage().contains("expected the 3 sizes of the header in bytes 4 to 16, but the file ends at byte offset 10"),
                e.getMessage());
    }

    @Test
    void truncatedGzipNamesTheDecompressedOffset() throws IOException {
        byte[] images = IdxFile.encodeImages(5, 4, 3, IdxFixtures.pixels(5, 4, 3));
        byte[] gz = IdxFixtures.gzip(images);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length - 12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readImages(cut));
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset"), e.getMessage());

        Path noTrailer = dir.resolve("no-trailer.gz");
        Files.write(noTrailer, Arrays.copyOf(gz, gz.length - 8));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readImages(noTrailer));
        assertTrue(e.getMessage().startsWith(noTrailer + ": truncated or corrupt gzip data"), e.getMessage());

        // A complete gzip stream of a short IDX file: the decompressed data is what is short.
        Path shortData = dir.resolve("short.gz");
        Files.write(shortData, IdxFixtures.gzip(Arrays.copyOf(images, 40)));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readImages(shortData));
        assertTrue(e.getMessage().endsWith("but the decompressed data ends at byte offset 40 (36 bytes short)"), e.getMessage());
    }

    @Test
    void corruptGzipIsNamed() throws IOException {
        byte[] gz = IdxFixtures.gzip(IdxFile.encodeLabels(new int[] {1, 2, 3}));
        for (int i = 10; i < gz.length - 8; i++) {
            gz[i] = (byte) 0xFF;
        }
        Path file = dir.resolve("bad.gz");
        Files.write(file, gz);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readLabels(file, 10));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void hugeSizesInTheHeaderAreAnError() throws IOException {
        byte[] images = IdxFile.encodeImages(1, 1, 1, new byte[1]);
        images[4] = 0x7f;
        images[8] = 0x7f;
        images[12] = 0x7f;
        Path file = dir.resolve("huge");
        Files.write(file, images);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readImages(file));
        assertEquals(file + ": the header promises 2130706433 x 2130706433 x 2130706433 bytes, more than one array can hold"
                + " (corrupt header?)", e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] labels = IdxFile.encodeLabels(new int[] {1, 2});
        Path file = dir.resolve("long");
        Files.write(file, Arrays.copyOf(labels, labels.length + 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readLabels(file, 10));
        assertEquals(file + ": expected 10 bytes (a 8-byte header and 2 bytes of labels) but the file holds 13, 3 more from byte offset 10",
                e.getMessage());
        Path gz = dir.resolve("long.gz");
        Files.write(gz, IdxFixtures.gzip(Arrays.copyOf(labels, labels.length + 1000)));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readLabels(gz, 10));
        assertEquals(gz + ": expected 10 bytes (a 8-byte header and 2 bytes of labels) but the decompressed data holds 1010, "
                + "1000 more from byte offset 10", e.getMessage());
    }

    @Test
    void labelOutsideTheClassesNamesTheExample() throws IOException {
        Path file = dir.resolve("labels");
        Files.write(file, IdxFile.encodeLabels(new int[] {1, 2, 10, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readLabels(file, 10));
        assertEquals(file + ": label 10 of example 2 (byte offset 10) is outside the class range 0..9", e.getMessage());
    }

    @Test
    void missingFileIsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.readLabels(dir.resolve("none"), 10));
        assertEquals(dir.resolve("none") + ": no such file", e.getMessage());
    }
}
