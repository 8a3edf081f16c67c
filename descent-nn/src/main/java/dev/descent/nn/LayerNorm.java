package dev.descent.nn;

import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

/**
 * Layer normalization (Ba, Kiros and Hinton, 2016) over the last dimension, as PyTorch's
 * {@code LayerNorm(n)}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, with the mean and the
 * biased variance of each row of {@code n} values, the same in training and evaluation; eps 1e-5, weight
 * one and bias zero by default.
 */
public final class LayerNorm extends Module {
    private final int n;
    private final float eps;
    private final ParamRef weight;
    private final ParamRef bias;

    /** Over rows of {@code n} values, eps 1e-5. */
    public LayerNorm(int n) {
        this(n, 1e-5f);
    }

    /** Over rows of {@code n} values with the given eps. */
    public LayerNorm(int n, float eps) {
        if (n <= 0 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm needs n > 0 and eps > 0, got n=" + n + " eps=" + eps);
        }
        this.n = n;
        this.eps = eps;
        this.weight = param("weight", Init.constant(1f), n);
        this.bias = param("bias", Init.zeros(), n);
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        if (x.rank() < 1 || x.dim(-1) != n) {
            throw shapeError(x, "does not match the normalized size " + n + " (expected [..., " + n + "])");
        }
        int rows = x.size() / n;
        Tensor w = weight.tensor();
        Tensor bt = bias.tensor();
        float[] wd = w.data();
        float[] bd = bt.data();
        boolean grad = tape.isRecording() && (x.requiresGrad() || w.requiresGrad() || bt.requiresGrad());
        Tensor out = tape.result(x.shape(), grad);
        float[] y = out.data();
        float[] xhat = tape.buffer(x.size());
        float[] invStd = tape.buffer(rows);
        float[] xd = x.data();
        for (int r = 0; r < rows; r++) {
            int base = x.offset() + r * n;
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += xd[base + j];
            }
            double mu = s / n;
            double ss = 0;
            for (int j = 0; j < n; j++) {
                double d = xd[base + j] - mu;
                ss += d * d;
            }
            float is = (float) (1 / Math.sqrt(ss / n + eps));
            invStd[r] = is;
            for (int j = 0; j < n; j++) {
                float h = (float) (xd[base + j] - mu) * is;
                xhat[r * n + j] = h;
                y[r * n + j] = h * wd[w.offset() + j] + bd[bt.offset() + j];
            }
        }
        tape.record(out, () -> {
            float[] dy = out.gradArray();
            float[] gw = w.requiresGrad() ? tape.grad(w) : null;
            float[] gb = bt.requiresGrad() ? tape.grad(bt) : null;
            float[] dx = x.requiresGrad() ? tape.grad(x) : null;
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                double sumG = 0;
                double sumGXhat = 0;
                for (int j = 0; j < n; j++) {
                    float g = dy[o + j] * wd[w.offset() + j];
                    sumG += g;
                    sumGXhat += g * xhat[o + j];
                    if (gw != null) {
                        gw[w.gradOffset() + j] += dy[o + j] * xhat[o + j];
                    }
                    if (gb != null) {
                        gb[bt.gradOffset() + j] += dy[o + j];
                    }
                }
                if (dx != null) {
                    float meanG = (float) (sumG / n);
                    float meanGXhat = (float) (sumGXhat / n);
                    float is = invStd[r];
                    int dxo = x.gradOffset() + o;
                    for (int j = 0; j < n; j++) {
                        float g = dy[o + j] * wd[w.offset() + j];
                        dx[dxo + j] += is * (g - meanG - xhat[o + j] * meanGXhat);
                    }
                }
            }
        });
        return out;
    }

    @Override
    public String describe() {
        return "LayerNorm(" + n + ", eps=" + eps + ")";
    }
}
