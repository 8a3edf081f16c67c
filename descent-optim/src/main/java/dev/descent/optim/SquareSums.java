package dev.descent.optim;

import java.util.Arrays;

/**
 * Sums of squares of float ranges, in double, in a fixed order that C2 vectorizes: the norms LAMB and LARS take
 * before their step, fused ({@link Lamb}, {@link Lars}) and as transforms ({@code scale_by_trust_ratio},
 * {@code scale_by_lars}) alike, to the bit.
 *
 * <p>The order, which decides the bits: a range is cut into pieces of {@code StepThreads.SUM_CHUNK} (2^16)
 * elements from its start, summed on all step threads and then added in order ({@code StepThreads.sum}), so the
 * result does not depend on the number of threads; a piece into blocks of {@link #BLOCK} elements from its
 * start. Element j of every block of a piece is added to float lane j by {@code fma(x, x, lane)}; after every
 * 16 blocks, and at the end of the piece, the lanes are emptied into the piece's sum in double (four running
 * sums over lanes 4i, 4i + 1, 4i + 2, 4i + 3, added as (s0 + s1) + (s2 + s3)). A lane sums at most 16 terms in
 * float, so a piece's relative error is below 16 · 2^-24 (1e-6) at worst and, the roundings being unbiased and
 * spread over many lanes, under 1e-8 on Gaussian data (SquareSumsTest): a float trust ratio moves by an ulp at
 * most, and rarely. A piece
 * whose lane sum is not finite (a square above {@link Float#MAX_VALUE}, or a NaN) or under its length times
 * 2^-90 (float squares underflow there) is summed again element by element in double, so no range loses its
 * norm to float's narrower exponent.
 *
 * <p>Why lanes: {@code sum += (double) x * x} runs scalar, each add waiting for the one before (about 3 cycles
 * an element here, several times slower than memory); JDK 17's C2 neither reorders a floating-point sum nor
 * vectorizes a float-to-double conversion. The lane loop is elementwise over arrays indexed alike from 0, so
 * C2 vectorizes it; each block is first copied into {@code row} (from the L1 cache when the caller just
 * wrote it), because C2 17 keeps a loop scalar when its arrays are indexed with different offsets.
 */
public final class SquareSums {
    /**
     * Elements per block, and lanes. Small, so that the copy of the next block (from memory) overlaps the lane loop
     * of this one in the core's out-of-order window: 2048 ran LARS's sums about a third slower.
     */
    static final int BLOCK = 512;
    /** A piece whose lane sum is under its length times this went through float's subnormal range: summed again in double. */
    private static final double TINY_MEAN = 0x1p-90;

    /** Each thread's lanes, two per thread (LAMB and LARS sum two arrays at once); {@link #take} leaves them clear. */
    private static final ThreadLocal<SquareSums[]> LANES = ThreadLocal.withInitial(() -> new SquareSums[] {new SquareSums(), new SquareSums()});

    private final float[] row = new float[BLOCK];
    /** Blocks a lane sums in float before the lanes go into {@link #carried}, in double. */
    private static final int TERMS = 16;

    private final float[] hi = new float[BLOCK];
    /** The piece's sum so far of the lanes emptied every {@link #TERMS} blocks. */
    private double carried;
    private int blocks;

    private SquareSums() {
    }

    /** The calling thread's lanes number {@code which} (0 or 1), clear: reused, since a piece would otherwise allocate 4 KB. */
    static SquareSums lanes(int which) {
        return LANES.get()[which];
    }

    /** Σ aᵢ² over {@code [from, to)}, in double, in the order the class describes (the same bits on any thread count). */
    public static double of(float[] a, int from, int to) {
        return StepThreads.sum(1, from, to, (start, end, out) -> {
            SquareSums lanes = lanes(0);
            for (int b = start; b < end; b += BLOCK) {
                lanes.add(a, b, end - b > BLOCK ? b + BLOCK : end);
            }
            out[0] += lanes.take(a, start, end);
        })[0];
    }

    /**
     * Adds the squares of {@code a[from, to)}, one block (at most {@link #BLOCK} elements, starting where the
     * previous block of this piece ended), into the lanes.
     */
    void add(float[] a, int from, int to) {
        int n = to - from;
        System.arraycopy(a, from, row, 0, n);
        float[] x = row;
        float[] h = hi;
        for (int k = 0; k < n; k++) {
            h[k] = Math.fma(x[k], x[k], h[k]);
        }
        if (++blocks == TERMS) {
            carried += empty();
        }
    }

    /** Σ of the lanes in double, in lane order (four running sums, lanes 4i to 4i + 3, added at the end); clears them. */
    private double empty() {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        // Four sums so that the adds do not wait on each other; a fixed order all the same.
        for (int k = 0; k < BLOCK; k += 4) {
            s0 += hi[k];
            s1 += hi[k + 1];
            s2 += hi[k + 2];
            s3 += hi[k + 3];
        }
        Arrays.fill(hi, 0f);
        blocks = 0;
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The sum of the lanes in double (see {@link #empty}), for the piece {@code a[from, to)} whose blocks were added
     * (summed again element by element in double when out of float's range, see the class); clears the lanes.
     */
    double take(float[] a, int from, int to) {
        double sum = carried + empty();
        carried = 0;
        if (sum >= (to - from) * TINY_MEAN && sum < Double.POSITIVE_INFINITY) {
            return sum;
        }
        double exact = 0;
        for (int i = from; i < to; i++) {
            exact += (double) a[i] * a[i];
        }
        return exact;
    }
}
