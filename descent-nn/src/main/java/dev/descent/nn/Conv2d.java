package dev.descent.nn;

import dev.descent.tensor.Gemm;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/**
 * A 2-D convolution (cross-correlation, as PyTorch's {@code Conv2d}) of an input {@code [batch, in, h, w]}
 * with a weight {@code [out, in, k, k]} and a bias {@code [out]}, with a stride and zero padding:
 * {@code y[b, o, i, j] = bias[o] + sum_{c, u, v} w[o, c, u, v] x[b, c, s i - p + u, s j - p + v]}.
 *
 * <p>Computed by im2col: the receptive fields of a chunk of samples are unrolled into one
 * {@code (in k k) x (samples oh ow)} matrix, and one {@link Gemm#sgemm} multiplies it by the weight; backward
 * uses the same matrices for the weight's gradient and folds the input's gradient back (col2im). Chunks
 * hold as many samples as fit in 16 MB of columns, so the products are large enough to split across cores. Weights are
 * Glorot-uniform and the bias zero by default, as for {@link Linear}.
 */
public final class Conv2d extends Module {
    private final int in;
    private final int out;
    private final int k;
    private final int stride;
    private final int padding;
    private final ParamRef weight;
    private final ParamRef bias;
    /** How many floats of unrolled columns one chunk of samples may take (16 MB). */
    int maxColumnFloats = 1 << 22;

    /** A {@code k x k} convolution with stride 1, no padding and a bias. */
    public Conv2d(int in, int out, int k) {
        this(in, out, k, 1, 0, true, Init.glorotUniform());
    }

    /** A {@code k x k} convolution. */
    public Conv2d(int in, int out, int k, int stride, int padding, boolean bias, Init weightInit) {
        if (in <= 0 || out <= 0 || k <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d needs positive in, out, kernel size and stride and a "
                    + "non-negative padding, got in=" + in + " out=" + out + " kernel_size=" + k + " stride="
                    + stride + " padding=" + padding);
        }
        this.in = in;
        this.out = out;
        this.k = k;
        this.stride = stride;
        this.padding = padding;
        this.weight = param("weight", weightInit, out, in, k, k);
        this.bias = bias ? param("bias", Init.biasFor(weightInit, in * k * k), out) : null;
    }

    /** The output size along a dimension of {@code size}. */
    int outSize(int size) {
        int span = size + 2 * padding - k;
        return span < 0 ? 0 : span / stride + 1;
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw shapeError(x, "does not match weight [" + out + ", " + in + ", " + k + ", " + k
                    + "] (expected [batch, " + in + ", height, width])");
        }
        int batch = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = outSize(h);
        int ow = outSize(w);
        if (oh == 0 || ow == 0) {
            throw shapeError(x, "is smaller than the kernel " + k + "x" + k + " with padding " + padding);
        }
        int ckk = in * k * k;
        int hw = oh * ow;
        Tensor wt = weight.tensor();
        Tensor bt = bias == null ? null : bias.tensor();
        boolean grad = tape.isRecording() && (x.requiresGrad() || wt.requiresGrad()
                || (bt != null && bt.requiresGrad()));
        Tensor y = tape.result(new int[] {batch, out, oh, ow}, grad);
        float[] yd = y.data();
        float[] wd = wt.data();
        // Samples go in chunks: a chunk's receptive fields form one (in k k) x (samples oh ow) matrix and one
        // product with the weight gives the chunk's outputs, channel-major, which are then scattered to
        // [batch, out, oh, ow]. Backward needs every chunk's columns; without it one buffer is reused.
        int chunk = Math.max(1, Math.min(batch, maxColumnFloats / Math.max(1, ckk * hw)));
        int chunks = (batch + chunk - 1) / chunk;
        float[][] cols = new float[chunks][];
        float[] product = tape.buffer(out * chunk * hw);
        for (int q = 0; q < chunks; q++) {
            int b0 = q * chunk;
            int n = Math.min(chunk, batch - b0) * hw;
            cols[q] = grad || q == 0 ? tape.buffer(ckk * chunk * hw) : cols[0];
            for (int b = b0; b < b0 + n / hw; b++) {
                im2col(x.data(), x.offset() + b * in * h * w, h, w, oh, ow, cols[q], (b - b0) * hw, n);
            }
            Gemm.sgemm(false, false, out, n, ckk, wd, wt.offset(), ckk, cols[q], 0, n, product, 0, n, false);
            for (int b = b0; b < b0 + n / hw; b++) {
                for (int o = 0; o < out; o++) {
                    float bo = bt == null ? 0f : bt.data()[bt.offset() + o];
                    int src = o * n + (b - b0) * hw;
                    int dst = (b * out + o) * hw;
                    for (int i = 0; i < hw; i++) {
                        yd[dst + i] = product[src + i] + bo;
                    }
                }
            }
        }
        tape.record(y, () -> {
            float[] g = y.gradArray();
            float[] dy = tape.buffer(out * chunk * hw);
            float[] dcols = x.requiresGrad() ? tape.buffer(ckk * chunk * hw) : null;
            for (int q = 0; q < chunks; q++) {
                int b0 = q * chunk;
                int n = Math.min(chunk, batch - b0) * hw;
                // gather the chunk's output gradient channel-major, as the forward product was laid out
                for (int b = b0; b < b0 + n / hw; b++) {
                    for (int o = 0; o < out; o++) {
                        System.arraycopy(g, (b * out + o) * hw, dy, o * n + (b - b0) * hw, hw);
                    }
                }
                if (wt.requiresGrad()) {
                    // dW += dY * cols^T
                    Gemm.sgemm(false, true, out, ckk, n, dy, 0, n, cols[q], 0, n,
                            tape.grad(wt), wt.gradOffset(), ckk, true);
                }
                if (bt != null && bt.requiresGrad()) {
                    float[] gb = tape.grad(bt);
                    for (int o = 0; o < out; o++) {
                        float s = 0f;
                        for (int i = o * n, e = i + n; i < e; i++) {
                            s += dy[i];
                        }
                        gb[bt.gradOffset() + o] += s;
                    }
                }
                if (dcols != null) {
                    // dcols = W^T * dY, then fold each sample back onto the input's gradient
                    Gemm.sgemm(true, false, ckk, n, out, wd, wt.offset(), ckk, dy, 0, n, dcols, 0, n, false);
                    float[] dx = tape.grad(x);
                    for (int b = b0; b < b0 + n / hw; b++) {
                        col2im(dcols, (b - b0) * hw, n, h, w, oh, ow, dx, x.gradOffset() + b * in * h * w);
                    }
                }
            }
        });
        return y;
    }

    /**
     * Unrolls one sample's receptive fields into rows {@code (c, u, v)} of {@code cols}, starting at column
     * {@code col}, each row {@code ld} floats long.
     */
    private void im2col(float[] x, int xo, int h, int w, int oh, int ow, float[] cols, int col, int ld) {
        int row = 0;
        for (int c = 0; c < in; c++) {
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++, row++) {
                    int dst = row * ld + col;
                    for (int i = 0; i < oh; i++) {
                        int ih = i * stride - padding + u;
                        int rowStart = dst + i * ow;
                        if (ih < 0 || ih >= h) {
                            java.util.Arrays.fill(cols, rowStart, rowStart + ow, 0f);
                            continue;
                        }
                        int src = xo + (c * h + ih) * w;
                        for (int j = 0; j < ow; j++) {
                            int iw = j * stride - padding + v;
                            cols[rowStart + j] = iw >= 0 && iw < w ? x[src + iw] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Adds one sample's column gradients (from column {@code col}, rows {@code ld} long) onto its input gradient. */
    private void col2im(float[] cols, int col, int ld, int h, int w, int oh, int ow, float[] dx, int dxo) {
        int row = 0;
        for (int c = 0; c < in; c++) {
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++, row++) {
                    int src = row * ld + col;
                    for (int i = 0; i < oh; i++) {
                        int ih = i * stride - padding + u;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int dst = dxo + (c * h + ih) * w;
                        for (int j = 0; j < ow; j++) {
                            int iw = j * stride - padding + v;
                            if (iw >= 0 && iw < w) {
                                dx[dst + iw] += cols[src + i * ow + j];
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public String describe() {
        return "Conv2d(" + in + " -> " + out + ", " + k + "x" + k + (stride != 1 ? ", stride " + stride : "")
                + (padding != 0 ? ", padding " + padding : "") + (bias == null ? ", no bias" : "") + ")";
    }
}
