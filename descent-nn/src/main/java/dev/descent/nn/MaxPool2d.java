package dev.descent.nn;

import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2-D max pooling over {@code k x k} windows of an input {@code [batch, channels, h, w]}, with stride
 * {@code k} by default, as PyTorch's {@code MaxPool2d(k)}: the output is {@code floor((h - k) / s) + 1}
 * high. The gradient goes to the first maximum of each window, as in PyTorch. The maxima are found without
 * branches where windows are 2 x 2, and large inputs are split by planes across the threads of
 * {@link Parallel}.
 */
public final class MaxPool2d extends Module {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Lane t takes lane 2t of a vector, modulo LANES: the even lanes of two vectors, low and high halves. */
    private static final VectorShuffle<Float> EVEN = SPECIES.shuffleFromOp(t -> 2 * t % LANES);
    /** Lane t takes lane 2t + 1, modulo LANES. */
    private static final VectorShuffle<Float> ODD = SPECIES.shuffleFromOp(t -> (2 * t + 1) % LANES);
    /** The upper half of the lanes. */
    private static final VectorMask<Float> HIGH = SPECIES.indexInRange(0, LANES / 2).not();
    /** Lane l takes lane l / 2: interleaves the lower halves of two vectors (with {@link #ODD_LANES}). */
    private static final VectorShuffle<Float> SPREAD_LOW = SPECIES.shuffleFromOp(l -> l / 2);
    /** Lane l takes lane LANES / 2 + l / 2: interleaves the upper halves. */
    private static final VectorShuffle<Float> SPREAD_HIGH = SPECIES.shuffleFromOp(l -> LANES / 2 + l / 2);
    /** The odd lanes. */
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromLong(SPECIES, 0xAAAAAAAAAAAAAAAAL);
    /** 2t in lane t. */
    private static final FloatVector TWICE_LANE = FloatVector.zero(SPECIES).addIndex(2);
    private final int k;
    private final int stride;

    /** Windows of {@code k x k} with stride {@code k}. */
    public MaxPool2d(int k) {
        this(k, k);
    }

    /** Windows of {@code k x k} with the given stride. */
    public MaxPool2d(int k, int stride) {
        if (k <= 0 || stride <= 0) {
            throw new IllegalArgumentException("MaxPool2d needs a positive kernel size and stride, got kernel_size="
                    + k + " stride=" + stride);
        }
        this.k = k;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        if (x.rank() != 4) {
            throw shapeError(x, "is not [batch, channels, height, width]");
        }
        int planes = x.dim(0) * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        if (h < k || w < k) {
            throw shapeError(x, "is smaller than the window " + k + "x" + k);
        }
        int oh = (h - k) / stride + 1;
        int ow = (w - k) / stride + 1;
        Tensor y = tape.result(new int[] {x.dim(0), x.dim(1), oh, ow}, tape.needsGrad(x));
        float[] yd = y.data();
        float[] xd = x.data();
        int xo = x.offset();
        // for backward, the plane index of each window's first maximum (a float holds it exactly)
        if (y.requiresGrad() && (long) h * w > 1 << 24) {
            throw shapeError(x, "has planes of more than 2^24 elements, whose indices a float cannot hold");
        }
        float[] where = y.requiresGrad() ? tape.buffer(y.size()) : null;
        int chunks = chunks(planes, h * w);
        Parallel.run(chunks, t -> {
            int p0 = t * planes / chunks;
            int p1 = (t + 1) * planes / chunks;
            for (int p = p0; p < p1; p++) {
                forwardPlane(xd, xo + p * h * w, w, yd, p * oh * ow, oh, ow, where, p1 * oh * ow);
            }
        });
        // 2 x 2 windows with stride 2 that cover the input exactly set every element of a new gradient
        boolean tiles = k == 2 && stride == 2 && h % 2 == 0 && w % 2 == 0;
        tape.record(y, () -> {
            float[] g = y.gradArray();
            float[] fresh = tape.freshGrad(x);
            float[] dx = fresh != null ? fresh : tape.grad(x);
            int dxo = x.gradOffset();
            Parallel.run(chunks, t -> {
                int p1 = (t + 1) * planes / chunks;
                for (int p = t * planes / chunks; p < p1; p++) {
                    int plane = dxo + p * h * w;
                    int out = p * oh * ow;
                    if (fresh != null && tiles) {
                        setTiles(g, where, out, oh, ow, w, dx, plane, dxo + p1 * h * w);
                        continue;
                    }
                    if (fresh != null) {
                        Arrays.fill(dx, plane, plane + h * w, 0f);
                    }
                    for (int o = out, end = out + oh * ow; o < end; o++) {
                        dx[plane + (int) where[o]] += g[o];
                    }
                }
            });
        });
        return y;
    }

    /** One chunk per thread when the input is large enough to be worth a dispatch (about 64K floats). */
    private static int chunks(int planes, int planeSize) {
        return (long) planes * planeSize < 1 << 16 ? 1 : Math.min(planes, Parallel.available());
    }

    /**
     * The maxima of one plane's windows, and where they are when {@code where} is not null. {@code Math.max}
     * has no branch to mispredict and propagates NaN, so a window holding NaN gives NaN, as in PyTorch.
     */
    private void forwardPlane(float[] x, int xo, int w, float[] y, int yo, int oh, int ow, float[] where,
            int limit) {
        for (int i = 0; i < oh; i++) {
            int row = i * stride * w;
            int out = yo + i * ow;
            int j = k == 2 && stride == 2 ? pairs(x, xo, row, w, y, out, ow, where, limit) : 0;
            for (; j < ow; j++) {
                int at = row + j * stride;
                float max;
                if (k == 2) {
                    int a = xo + at;
                    max = Math.max(Math.max(x[a], x[a + 1]), Math.max(x[a + w], x[a + w + 1]));
                } else {
                    max = x[xo + at];
                    for (int u = 0; u < k; u++) {
                        for (int v = 0, a = xo + at + u * w; v < k; v++) {
                            max = Math.max(max, x[a + v]);
                        }
                    }
                }
                y[out + j] = max;
                if (where != null) {
                    where[out + j] = k == 2 && Math.abs(max) <= Float.MAX_VALUE
                            ? at + firstOfFour(x, xo + at, w, max) : firstMaximum(x, xo, at, w, max);
                }
            }
        }
    }

    /**
     * The windows of one output row of 2 x 2 pooling with stride 2, {@code LANES} at a time: the four
     * elements of each window are gathered from two vectors per input row by shuffles, their maximum taken,
     * and where it is chosen by blends in reverse order so that the first one wins. Stores a whole vector
     * even past the row's end (the next row, written later, takes those floats) while that stays below
     * {@code limit}; returns the first column left for the scalar loop: at the end of the input or of the
     * chunk, or where a window holds NaN.
     */
    private static int pairs(float[] x, int xo, int row, int w, float[] y, int out, int ow, float[] where,
            int limit) {
        FloatVector second = FloatVector.broadcast(SPECIES, 1f);
        FloatVector third = FloatVector.broadcast(SPECIES, (float) w);
        FloatVector fourth = FloatVector.broadcast(SPECIES, (float) (w + 1));
        int j = 0;
        for (; j < ow; j += LANES) {
            int a = xo + row + 2 * j;
            if (a + w + 2 * LANES > x.length || out + j + LANES > limit) {
                break;
            }
            FloatVector lo = FloatVector.fromArray(SPECIES, x, a);
            FloatVector hi = FloatVector.fromArray(SPECIES, x, a + LANES);
            FloatVector va = lo.rearrange(EVEN).blend(hi.rearrange(EVEN), HIGH);
            FloatVector vb = lo.rearrange(ODD).blend(hi.rearrange(ODD), HIGH);
            lo = FloatVector.fromArray(SPECIES, x, a + w);
            hi = FloatVector.fromArray(SPECIES, x, a + w + LANES);
            FloatVector vc = lo.rearrange(EVEN).blend(hi.rearrange(EVEN), HIGH);
            FloatVector vd = lo.rearrange(ODD).blend(hi.rearrange(ODD), HIGH);
            FloatVector max = va.max(vb).max(vc.max(vd));
            if (where != null) {
                if (max.compare(VectorOperators.NE, max).anyTrue()) {
                    break;
                }
                FloatVector off = fourth.blend(third, vc.compare(VectorOperators.EQ, max))
                        .blend(second, vb.compare(VectorOperators.EQ, max))
                        .blend(0f, va.compare(VectorOperators.EQ, max));
                TWICE_LANE.add((float) (row + 2 * j)).add(off).intoArray(where, out + j);
            }
            max.intoArray(y, out + j);
        }
        return Math.min(j, ow);
    }

    /**
     * Sets the gradient of a plane covered exactly by 2 x 2 windows with stride 2: each window's gradient
     * at its first maximum and zeros at the other three elements, without branches (vector blends, then
     * masks on the bits of the gradient in the scalar tail, so that an infinite or NaN gradient stays where
     * it goes). Stores past the plane, into places that later stores rewrite, stay below {@code limit}.
     */
    private static void setTiles(float[] g, float[] where, int out, int oh, int ow, int w, float[] dx, int plane,
            int limit) {
        for (int i = 0; i < oh; i++) {
            int rowOut = out + i * ow;
            int at0 = 2 * i * w;
            // whole vectors of windows while their stores stay below limit
            int blocks = 0;
            while (blocks * LANES < ow && plane + at0 + 2 * (blocks + 1) * LANES + w <= limit
                    && rowOut + (blocks + 1) * LANES <= g.length) {
                blocks++;
            }
            // the upper input row, then the lower one, each in ascending order: a last vector that runs past
            // the row writes into places that later stores rewrite
            for (int lower = 0; lower < 2; lower++) {
                for (int q = 0; q < blocks; q++) {
                    int j = q * LANES;
                    FloatVector gv = FloatVector.fromArray(SPECIES, g, rowOut + j);
                    FloatVector off = FloatVector.fromArray(SPECIES, where, rowOut + j)
                            .sub(TWICE_LANE.add((float) (at0 + 2 * j)));
                    float left = lower == 0 ? 0f : w;
                    FloatVector zero = FloatVector.zero(SPECIES);
                    FloatVector l = zero.blend(gv, off.compare(VectorOperators.EQ, left));
                    FloatVector r = zero.blend(gv, off.compare(VectorOperators.EQ, left + 1));
                    int d = plane + at0 + lower * w + 2 * j;
                    l.rearrange(SPREAD_LOW).blend(r.rearrange(SPREAD_LOW), ODD_LANES).intoArray(dx, d);
                    l.rearrange(SPREAD_HIGH).blend(r.rearrange(SPREAD_HIGH), ODD_LANES).intoArray(dx, d + LANES);
                }
            }
            for (int j = Math.min(ow, blocks * LANES); j < ow; j++) {
                int o = out + i * ow + j;
                int at = 2 * i * w + 2 * j;
                int off = (int) where[o] - at;
                int bits = Float.floatToRawIntBits(g[o]);
                dx[plane + at] = Float.intBitsToFloat(bits & ((off ^ 0) - 1 >> 31));
                dx[plane + at + 1] = Float.intBitsToFloat(bits & ((off ^ 1) - 1 >> 31));
                dx[plane + at + w] = Float.intBitsToFloat(bits & ((off ^ w) - 1 >> 31));
                dx[plane + at + w + 1] = Float.intBitsToFloat(bits & ((off ^ (w + 1)) - 1 >> 31));
            }
        }
    }

    /**
     * The offset (0, 1, w or w + 1) of the first of the 2 x 2 elements at {@code x[at]} that equals the
     * finite {@code max}, computed without branches: which element holds the maximum is as good as random,
     * and a mispredicted branch per window costs more than the rest of the loop. An element equals the
     * maximum exactly when their difference is zero, that is when the difference without its sign bit is
     * 0, and {@code (bits - 1) >>> 31} turns that into 1 (any other value into 0).
     */
    private static int firstOfFour(float[] x, int at, int w, float max) {
        int a = (Float.floatToRawIntBits(x[at] - max) & 0x7fffffff) - 1 >>> 31;
        int b = (Float.floatToRawIntBits(x[at + 1] - max) & 0x7fffffff) - 1 >>> 31;
        int c = (Float.floatToRawIntBits(x[at + w] - max) & 0x7fffffff) - 1 >>> 31;
        return (1 - a) * (b + (1 - b) * (w + 1 - c));
    }

    /** The plane index of the first element of the window at {@code at} that equals {@code max} (or is NaN). */
    private int firstMaximum(float[] x, int xo, int at, int w, float max) {
        boolean nan = max != max;
        for (int u = 0; u < k; u++) {
            for (int v = 0; v < k; v++) {
                float val = x[xo + at + u * w + v];
                if (val == max || nan && val != val) {
                    return at + u * w + v;
                }
            }
        }
        throw new IllegalStateException("max pooling: no element of a window equals its maximum " + max);
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + k + (stride != k ? ", stride " + stride : "") + ")";
    }
}
