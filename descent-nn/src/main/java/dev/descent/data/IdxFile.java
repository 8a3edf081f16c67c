package dev.descent.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads (and, for tests and exports, encodes) IDX files, the format of MNIST and its kin: plain, or compressed with gzip (recognised by its
 * magic bytes, whatever the file is called).
 *
 * <p>An IDX file is big-endian: a magic number {@code 0x0000TTDD} (TT the element type, {@code 0x08} for
 * unsigned bytes; DD the number of dimensions), DD sizes of 4 bytes each, then the elements row-major. Labels
 * are {@code 0x00000801} (one dimension: n), images {@code 0x00000803} (n x rows x cols). Errors name the file
 * and the byte offset (in the decompressed data for a .gz file) where the data went wrong: a wrong magic
 * number, a file shorter or longer than its header says, a corrupt gzip stream, a label outside the class
 * range (with the example's index). They are {@link IllegalArgumentException}s, bad input, as is a missing
 * file; a file that cannot be read is an {@link UncheckedIOException}.
 */
public final class IdxFile {
    /** The magic number of an IDX file of unsigned bytes in one dimension: labels. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The magic number of an IDX file of unsigned bytes in three dimensions: images. */
    public static final int IMAGES_MAGIC = 0x00000803;

    private IdxFile() {
    }

    /**
     * Grey images read from an IDX file, one byte per pixel.
     *
     * @param file   where they were read from
     * @param count  the number of images n
     * @param rows   the rows of an image
     * @param cols   the columns of an image
     * @param pixels n x rows x cols unsigned bytes, row-major
     */
    public record Images(Path file, int count, int rows, int cols, byte[] pixels) {
        /** The pixels as features in [0, 1] ({@link Pixels#toUnitRange(byte[])}). */
        public float[] unitFeatures() {
            return Pixels.toUnitRange(pixels);
        }
    }

    /**
     * Reads an IDX labels file ({@code 0x00000801}) and checks every label against the class range.
     *
     * @param classCount labels must lie in {@code [0, classCount)}
     * @return one label per example
     */
    public static int[] readLabels(Path file, int classCount) {
        Contents c = read(file, LABELS_MAGIC, "labels");
        int[] labels = new int[c.data.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = c.data[i] & 0xFF;
            if (labels[i] >= classCount) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: label %d of example %d (byte offset %d) is outside the class range 0..%d",
                        file, labels[i], i, c.headerBytes + i, classCount - 1));
            }
        }
        return labels;
    }

    /** Reads an IDX images file ({@code 0x00000803}). */
    public static Images readImages(Path file) {
        Contents c = read(file, IMAGES_MAGIC, "images");
        return new Images(file, c.dims[0], c.dims[1], c.dims[2], c.data);
    }

    /** The bytes of an IDX labels file ({@code 0x00000801}) holding {@code labels} (each 0..255). */
    public static byte[] encodeLabels(int[] labels) {
        byte[] out = new byte[8 + labels.length];
        putInt(out, 0, LABELS_MAGIC);
        putInt(out, 4, labels.length);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + ": an IDX byte holds 0..255");
            }
            out[8 + i] = (byte) labels[i];
        }
        return out;
    }

    /** The bytes of an IDX images file ({@code 0x00000803}) holding {@code count} images of rows x cols pixels. */
    public static byte[] encodeImages(int count, int rows, int cols, byte[] pixels) {
        if (count < 0 || rows < 0 || cols < 0 || (long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%d pixels do not make %d images of %d x %d",
                    pixels.length, count, rows, cols));
        }
        byte[] out = new byte[16 + pixels.length];
        putInt(out, 0, IMAGES_MAGIC);
        putInt(out, 4, count);
        putInt(out, 8, rows);
        putInt(out, 12, cols);
        System.arraycopy(pixels, 0, out, 16, pixels.length);
        return out;
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    private record Contents(int[] dims, int headerBytes, byte[] data) {
    }

    private static Contents read(Path file, int expectedMagic, String what) {
        try (InputStream in = open(file)) {
            Source src = new Source(file, in instanceof GZIPInputStream ? "decompressed data" : "file");
            byte[] magicBytes = readFully(in, 4, src, 0, "the magic number");
            int magic = readInt(magicBytes, 0);
            if (magic != expectedMagic) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: magic number 0x%08x at byte offset 0, expected 0x%08x (IDX %s)%s",
                        file, magic, expectedMagic, what, hint(magic)));
            }
            int rank = expectedMagic & 0xFF;
            byte[] dimBytes = readFully(in, 4 * rank, src, 4, "the " + rank + " sizes of the header");
            int[] dims = new int[rank];
            long length = 1;
            for (int k = 0; k < rank; k++) {
                dims[k] = readInt(dimBytes, 4 * k);
                if (dims[k] < 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: size %d at byte offset %d is negative (corrupt header)", file, dims[k], 4 + 4 * k));
                }
                length = Math.min(length * dims[k], Long.MAX_VALUE / Integer.MAX_VALUE);
            }
            int headerBytes = 4 + 4 * rank;
            if (length > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: the header promises %s bytes, more than one array can hold (corrupt header?)",
                        file, shape(dims)));
            }
            byte[] data = readFully(in, (int) length, src, headerBytes, size(dims, length) + " of " + what);
            int extra;
            try {
                extra = in.read();
            } catch (EOFException | ZipException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: truncated or corrupt gzip data after the %d bytes of the IDX data (its gzip trailer is missing or damaged): %s",
                        file, headerBytes + length, e.getMessage()), e);
            }
            if (extra >= 0) {
                long actual = headerBytes + length + 1;
                String holds = "holds";
                try {
                    actual += in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    holds = "holds at least"; // a gzip stream damaged after the extra data: its size is what was read
                }
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: expected %d bytes (a %d-byte header and %s of %s) but the %s %s %d, %d more from byte offset %d",
                        file, headerBytes + length, headerBytes, size(dims, length), what, src.data, holds, actual,
                        actual - headerBytes - length, headerBytes + length));
            }
            return new Contents(dims, headerBytes, data);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (ZipException e) {
            throw new IllegalArgumentException(file + ": corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /**
     * Reads exactly {@code n} bytes that start at byte {@code offset} of the (decompressed) data, or fails
     * naming the file, what was being read, the expected end and where the data ended.
     */
    private record Source(Path file, String data) {
    }

    private static byte[] readFully(InputStream in, int n, Source src, long offset, String what) throws IOException {
        byte[] buffer = new byte[n];
        int read = 0;
        try {
            while (read < n) {
                int r = in.read(buffer, read, n - read);
                if (r < 0) {
                    break;
                }
                read += r;
            }
        } catch (EOFException | ZipException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: truncated or corrupt gzip data at byte offset %d of the decompressed data, while reading %s "
                            + "(bytes %d to %d): %s", src.file, offset + read, what, offset, offset + n, e.getMessage()), e);
        }
        if (read < n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: truncated: expected %s in bytes %d to %d, but the %s ends at byte offset %d (%d bytes short)",
                    src.file, what, offset, offset + n, src.data, offset + read, n - read));
        }
        return buffer;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    /** {@code "5 x 4 x 3 = 60 bytes"}, or {@code "60 bytes"} for one dimension. */
    private static String size(int[] dims, long length) {
        return (dims.length > 1 ? shape(dims) + " = " : "") + length + " bytes";
    }

    private static String shape(int[] dims) {
        StringBuilder b = new StringBuilder();
        for (int d : dims) {
            b.append(b.length() == 0 ? "" : " x ").append(d);
        }
        return b.toString();
    }

    /** A hint for the magic numbers of the other IDX kind. */
    private static String hint(int magic) {
        if (magic == LABELS_MAGIC) {
            return "; this is a labels file";
        }
        if (magic == IMAGES_MAGIC) {
            return "; this is an images file";
        }
        if ((magic >>> 16) == 0x1f8b) {
            return "; it looks like gzip data inside gzip data";
        }
        return "";
    }
}
