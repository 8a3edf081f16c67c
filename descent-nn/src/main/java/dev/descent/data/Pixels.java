package dev.descent.data;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Objects;

/**
 * Turns 8-bit grey pixels (0 = background ... 255) into features in [0, 1], as torchvision's
 * {@code ToTensor} does: {@code x = p / 255}.
 *
 * <p>Every path computes {@code (float) p / 255f}, one correctly rounded division per pixel, so that the
 * vectorized conversion and {@link #toUnitRangeScalar its scalar twin} give the same bits, and a data set
 * kept as bytes and converted batch by batch trains exactly as one converted whole at load time.
 */
public final class Pixels {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /**
     * As many bytes as FLOATS has lanes (a 64-bit vector with AVX2, 128-bit with AVX-512), or null (scalar
     * only) when the lane count makes no vector shape.
     */
    private static final VectorSpecies<Byte> BYTES = Integer.bitCount(FLOATS.length()) == 1 && FLOATS.length() >= 8
            && FLOATS.length() <= 64 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * Byte.SIZE)) : null;

    private Pixels() {
    }

    /** Each unsigned byte {@code p} as the float {@code p / 255f}; a new array. */
    public static float[] toUnitRange(byte[] pixels) {
        float[] out = new float[pixels.length];
        toUnitRange(pixels, 0, out, 0, pixels.length);
        return out;
    }

    /**
     * Writes {@code src[srcOffset + i] / 255f} (the byte read as unsigned) to {@code dst[dstOffset + i]} for
     * {@code i < length}, with the Vector API where the machine has it.
     *
     * @throws IndexOutOfBoundsException when a range lies outside its array
     */
    public static void toUnitRange(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        int i = 0;
        if (BYTES != null) {
            int lanes = FLOATS.length();
            for (; i <= length - lanes; i += lanes) {
                IntVector p = (IntVector) ByteVector.fromArray(BYTES, src, srcOffset + i).convertShape(VectorOperators.B2I, INTS, 0);
                FloatVector x = (FloatVector) p.and(0xFF).convertShape(VectorOperators.I2F, FLOATS, 0);
                x.div(255f).intoArray(dst, dstOffset + i);
            }
        }
        toUnitRangeScalar(src, srcOffset + i, dst, dstOffset + i, length - i);
    }

    /** {@link #toUnitRange(byte[], int, float[], int, int)} one pixel at a time: its tail loop, and what tests compare it to. */
    static void toUnitRangeScalar(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (src[srcOffset + i] & 0xFF) / 255f;
        }
    }
}
