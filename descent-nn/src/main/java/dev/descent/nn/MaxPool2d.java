package dev.descent.nn;

import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.Arrays;

/**
 * 2-D max pooling over {@code k x k} windows of an input {@code [batch, channels, h, w]}, with stride
 * {@code k} by default, as PyTorch's {@code MaxPool2d(k)}: the output is {@code floor((h - k) / s) + 1}
 * high. The gradient goes to the first maximum of each window, as in PyTorch; backward finds it again by
 * comparing the input with the output rather than keeping its index. Large inputs are split by planes
 * across the threads of {@link Parallel}.
 */
public final class MaxPool2d extends Module {
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
        int chunks = chunks(planes, h * w);
        Parallel.run(chunks, t -> {
            for (int p = t * planes / chunks, e = (t + 1) * planes / chunks; p < e; p++) {
                forwardPlane(xd, xo + p * h * w, w, yd, p * oh * ow, oh, ow);
            }
        });
        tape.record(y, () -> {
            float[] g = y.gradArray();
            float[] fresh = tape.freshGrad(x);
            float[] dx = fresh != null ? fresh : tape.grad(x);
            int dxo = x.gradOffset();
            Parallel.run(chunks, t -> {
                for (int p = t * planes / chunks, e = (t + 1) * planes / chunks; p < e; p++) {
                    if (fresh != null) {
                        Arrays.fill(dx, p * h * w, (p + 1) * h * w, 0f);
                    }
                    backwardPlane(xd, xo + p * h * w, w, yd, g, p * oh * ow, oh, ow, dx, dxo + p * h * w);
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
     * The maxima of one plane's windows. {@code Math.max} has no branch to mispredict and propagates NaN, so
     * a window holding NaN gives NaN, as in PyTorch.
     */
    private void forwardPlane(float[] x, int xo, int w, float[] y, int yo, int oh, int ow) {
        for (int i = 0; i < oh; i++) {
            int row = xo + i * stride * w;
            int out = yo + i * ow;
            if (k == 2) {
                for (int j = 0, at = row; j < ow; j++, at += stride) {
                    y[out + j] = Math.max(Math.max(x[at], x[at + 1]), Math.max(x[at + w], x[at + w + 1]));
                }
                continue;
            }
            for (int j = 0; j < ow; j++) {
                float max = x[row + j * stride];
                for (int u = 0; u < k; u++) {
                    for (int v = 0, at = row + u * w + j * stride; v < k; v++) {
                        max = Math.max(max, x[at + v]);
                    }
                }
                y[out + j] = max;
            }
        }
    }

    /**
     * Adds each window's output gradient to the first element of the window (in row-major order) that equals
     * its maximum, or is NaN when the maximum is: the element forward took, found again instead of stored.
     */
    private void backwardPlane(float[] x, int xo, int w, float[] y, float[] g, int yo, int oh, int ow,
            float[] dx, int dxo) {
        for (int i = 0; i < oh; i++) {
            int row = i * stride * w;
            int out = yo + i * ow;
            for (int j = 0; j < ow; j++) {
                float max = y[out + j];
                int at = row + j * stride;
                int first = k == 2 && Math.abs(max) <= Float.MAX_VALUE
                        ? at + firstOfFour(x, xo + at, w, max) : firstMaximum(x, xo, at, w, max);
                dx[dxo + first] += g[out + j];
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
        throw new IllegalStateException("max pooling: the input changed between forward and backward");
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + k + (stride != k ? ", stride " + stride : "") + ")";
    }
}
