package dev.descent.nn;

import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.Arrays;

/**
 * Batch normalization (Ioffe and Szegedy, 2015) over the channel dimension 1 of an input
 * {@code [batch, channels]} or {@code [batch, channels, ...]}, as PyTorch's {@code BatchNorm1d} and
 * {@code BatchNorm2d}:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, per channel.
 *
 * <p>In training the mean and the biased variance come from the batch (over the batch and every position),
 * and the running statistics move towards them: {@code running = (1 - momentum) running + momentum stat},
 * with the unbiased variance, as PyTorch does; in evaluation the running statistics are used. Defaults as
 * PyTorch: {@code eps = 1e-5}, {@code momentum = 0.1}, weight one, bias zero. The running statistics are
 * the buffers {@code running_mean} and {@code running_var}.
 */
public final class BatchNorm extends Module {
    private final int channels;
    private final float eps;
    private final float momentum;
    private final ParamRef weight;
    private final ParamRef bias;
    private final float[] runningMean;
    private final float[] runningVar;

    /** With PyTorch's defaults eps 1e-5 and momentum 0.1. */
    public BatchNorm(int channels) {
        this(channels, 1e-5f, 0.1f);
    }

    /** With the given eps and momentum. */
    public BatchNorm(int channels, float eps, float momentum) {
        if (channels <= 0) {
            throw new IllegalArgumentException("BatchNorm needs a positive number of channels, got " + channels);
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm needs eps > 0 and momentum in [0, 1], got eps=" + eps
                    + " momentum=" + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = param("weight", Init.constant(1f), channels);
        this.bias = param("bias", Init.zeros(), channels);
        this.runningMean = buffer("running_mean", channels, 0f);
        this.runningVar = buffer("running_var", channels, 1f);
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw shapeError(x, "does not match " + channels + " channels (expected [batch, " + channels + ", ...])");
        }
        int batch = x.dim(0);
        int inner = x.size() / Math.max(1, batch * channels);
        int count = batch * inner;
        boolean useBatch = isTraining();
        if (useBatch && count < 2) {
            throw shapeError(x, "has one value per channel; batch statistics need more than one in training");
        }
        float[] xd = x.data();
        int xo = x.offset();
        float[] mean = new float[channels];
        float[] invStd = new float[channels];
        for (int c = 0; c < channels; c++) {
            if (useBatch) {
                double s = 0;
                for (int b = 0; b < batch; b++) {
                    int base = xo + (b * channels + c) * inner;
                    for (int i = 0; i < inner; i++) {
                        s += xd[base + i];
                    }
                }
                double mu = s / count;
                double ss = 0;
                for (int b = 0; b < batch; b++) {
                    int base = xo + (b * channels + c) * inner;
                    for (int i = 0; i < inner; i++) {
                        double d = xd[base + i] - mu;
                        ss += d * d;
                    }
                }
                double var = ss / count;
                mean[c] = (float) mu;
                invStd[c] = (float) (1 / Math.sqrt(var + eps));
                runningMean[c] = (1 - momentum) * runningMean[c] + momentum * (float) mu;
                runningVar[c] = (1 - momentum) * runningVar[c] + momentum * (float) (ss / (count - 1));
            } else {
                mean[c] = runningMean[c];
                invStd[c] = (float) (1 / Math.sqrt(runningVar[c] + eps));
            }
        }
        Tensor w = weight.tensor();
        Tensor bt = bias.tensor();
        float[] wd = w.data();
        float[] bd = bt.data();
        boolean grad = tape.isRecording() && (x.requiresGrad() || w.requiresGrad() || bt.requiresGrad());
        Tensor out = tape.result(x.shape(), grad);
        float[] y = out.data();
        float[] xhat = grad ? tape.buffer(x.size()) : null;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * inner;
                float mu = mean[c];
                float is = invStd[c];
                float g = wd[w.offset() + c];
                float be = bd[bt.offset() + c];
                for (int i = 0; i < inner; i++) {
                    float h = (xd[xo + base + i] - mu) * is;
                    if (xhat != null) {
                        xhat[base + i] = h;
                    }
                    y[base + i] = h * g + be;
                }
            }
        }
        tape.record(out, () -> {
            float[] dy = out.gradArray();
            for (int c = 0; c < channels; c++) {
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int b = 0; b < batch; b++) {
                    int base = (b * channels + c) * inner;
                    for (int i = 0; i < inner; i++) {
                        sumDy += dy[base + i];
                        sumDyXhat += dy[base + i] * xhat[base + i];
                    }
                }
                if (w.requiresGrad()) {
                    tape.grad(w)[w.gradOffset() + c] += (float) sumDyXhat;
                }
                if (bt.requiresGrad()) {
                    tape.grad(bt)[bt.gradOffset() + c] += (float) sumDy;
                }
                if (x.requiresGrad()) {
                    float[] dx = tape.grad(x);
                    int dxo = x.gradOffset();
                    float g = wd[w.offset() + c];
                    float is = invStd[c];
                    float meanDy = (float) (sumDy / count);
                    float meanDyXhat = (float) (sumDyXhat / count);
                    for (int b = 0; b < batch; b++) {
                        int base = (b * channels + c) * inner;
                        for (int i = 0; i < inner; i++) {
                            // training: dx = g * is * (dy - mean(dy) - xhat * mean(dy * xhat)); eval: g * is * dy
                            float d = useBatch ? dy[base + i] - meanDy - xhat[base + i] * meanDyXhat : dy[base + i];
                            dx[dxo + base + i] += g * is * d;
                        }
                    }
                }
            }
        });
        return out;
    }

    /** The running mean (the buffer itself). */
    public float[] runningMean() {
        return runningMean;
    }

    /** The running variance (the buffer itself). */
    public float[] runningVar() {
        return runningVar;
    }

    @Override
    public String describe() {
        return "BatchNorm(" + channels + ", eps=" + eps + ", momentum=" + momentum + ")";
    }

    @Override
    public String toString() {
        return describe() + " running_mean=" + Arrays.toString(runningMean);
    }
}
