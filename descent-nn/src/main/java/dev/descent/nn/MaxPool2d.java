package dev.descent.nn;

import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/**
 * 2-D max pooling over {@code k x k} windows of an input {@code [batch, channels, h, w]}, with stride
 * {@code k} by default, as PyTorch's {@code MaxPool2d(k)}: the output is {@code floor((h - k) / s) + 1}
 * high. The gradient goes to the first maximum of each window, as in PyTorch.
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
        int[] argmax = y.requiresGrad() ? new int[y.size()] : null;
        for (int p = 0; p < planes; p++) {
            int xo = x.offset() + p * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = (i * stride) * w + j * stride;
                    float max = xd[xo + best];
                    for (int u = 0; u < k; u++) {
                        int rowStart = (i * stride + u) * w + j * stride;
                        for (int v = 0; v < k; v++) {
                            float val = xd[xo + rowStart + v];
                            if (val > max || Float.isNaN(val) && !Float.isNaN(max)) {
                                max = val;
                                best = rowStart + v;
                            }
                        }
                    }
                    int o = (p * oh + i) * ow + j;
                    yd[o] = max;
                    if (argmax != null) {
                        argmax[o] = p * h * w + best;
                    }
                }
            }
        }
        tape.record(y, () -> {
            float[] g = y.gradArray();
            float[] dx = tape.grad(x);
            int dxo = x.gradOffset();
            for (int o = 0; o < argmax.length; o++) {
                dx[dxo + argmax[o]] += g[o];
            }
        });
        return y;
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + k + (stride != k ? ", stride " + stride : "") + ")";
    }
}
