package dev.descent.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Small generated IDX files in the MNIST family's layout. */
final class IdxFixtures {
    private IdxFixtures() {
    }

    /** Pixel j of image i is (7 i + j) mod 256; label i is i mod 10. */
    static byte[] pixels(int count, int rows, int cols) {
        byte[] p = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < rows * cols; j++) {
                p[i * rows * cols + j] = (byte) (7 * i + j);
            }
        }
        return p;
    }

    static int[] labels(int count) {
        int[] l = new int[count];
        for (int i = 0; i < count; i++) {
            l[i] = i % 10;
        }
        return l;
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the four files of a set with {@code train} and {@code test} images of 4 x 3 pixels into {@code dir}. */
    static Path writeSet(Path dir, int train, int test, boolean gz) throws IOException {
        Files.createDirectories(dir);
        String suffix = gz ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + suffix), IdxFile.encodeImages(train, 4, 3, pixels(train, 4, 3)), gz);
        write(dir.resolve("train-labels-idx1-ubyte" + suffix), IdxFile.encodeLabels(labels(train)), gz);
        write(dir.resolve("t10k-images-idx3-ubyte" + suffix), IdxFile.encodeImages(test, 4, 3, pixels(test, 4, 3)), gz);
        write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), IdxFile.encodeLabels(labels(test)), gz);
        return dir;
    }

    private static void write(Path file, byte[] data, boolean gz) throws IOException {
        Files.write(file, gz ? gzip(data) : data);
    }
}
