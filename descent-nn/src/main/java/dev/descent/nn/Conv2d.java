package dev.descent.nn;

import dev.descent.tensor.Gemm;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/**
 * A 2-D convolution (cross-correlation, as PyTorch's {@code Conv2d}) of an input {@code [batch, in, h, w]}
 * with a weight {@code [out, in, k, k]} and a bias {@code [out]}, with a stride and zero padding:
 * {@code y[b, o, i, j] = bias[o] + sum_{c, u, v} w[o, c, u, v] x[b, c, s i - p + u, s j - p + v]}.
 *
 * <p>Computed by im2col: each sample's receptive fields are unrolled into a {@code (in k k) x (oh ow)}
 * matrix, and one {@link Gemm#sgemm} per sample multiplies it by the weight; backward uses the same
 * matrices for the weight's gradient and folds the input's gradient back (col2im). Weights are
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
        // backward needs every sample's columns; without it one sample's worth is reused
        int colsPerSample = grad ? ckk * hw : 0;
        float[] cols = tape.buffer(grad ? batch * ckk * hw : ckk * hw);
        for (int b = 0; b < batch; b++) {
            im2col(x.data(), x.offset() + b * in * h * w, h, w, oh, ow, cols, b * colsPerSample);
            int yo = b * out * hw;
            if (bt != null) {
                for (int o = 0; o < out; o++) {
                    java.util.Arrays.fill(yd, yo + o * hw, yo + (o + 1) * hw, bt.data()[bt.offset() + o]);
                }
            }
            Gemm.sgemm(false, false, out, hw, ckk, wt.data(), wt.offset(), ckk, cols, b * colsPerSample, hw,
                    yd, yo, hw, bt != null);
        }
        tape.record(y, () -> {
            float[] g = y.gradArray();
            float[] dcols = x.requiresGrad() ? tape.buffer(ckk * hw) : null;
            for (int b = 0; b < batch; b++) {
                int go = b * out * hw;
                if (wt.requiresGrad()) {
                    // dW += dY_b * cols_b^T
                    Gemm.sgemm(false, true, out, ckk, hw, g, go, hw, cols, b * ckk * hw, hw,
                            tape.grad(wt), wt.gradOffset(), ckk, true);
                }
                if (bt != null && bt.requiresGrad()) {
                    float[] gb = tape.grad(bt);
                    for (int o = 0; o < out; o++) {
                        float s = 0f;
                        for (int i = go + o * hw, end = i + hw; i < end; i++) {
                            s += g[i];
                        }
                        gb[bt.gradOffset() + o] += s;
                    }
                }
                if (dcols != null) {
                    // dcols = W^T * dY_b, then fold back onto the input's gradient
                    Gemm.sgemm(true, false, ckk, hw, out, wt.data(), wt.offset(), ckk, g, go, hw,
                            dcols, 0, hw, false);
                    col2im(dcols, h, w, oh, ow, tape.grad(x), x.gradOffset() + b * in * h * w);
                }
            }
        });
        return y;
    }

    private void im2col(float[] x, int xo, int h, int w, int oh, int ow, float[] cols, int co) {
        int row = 0;
        for (int c = 0; c < in; c++) {
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++, row++) {
                    int dst = co + row * oh * ow;
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

    private void col2im(float[] cols, int h, int w, int oh, int ow, float[] dx, int dxo) {
        int row = 0;
        for (int c = 0; c < in; c++) {
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++, row++) {
                    int src = row * oh * ow;
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
