package dev.descent.nn;

import dev.descent.tensor.Activations;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Loss functions with PyTorch's definitions and mean reduction, each a scalar tensor recorded on the tape,
 * and weight penalties to add to them.
 *
 * <pre>
 *   Tensor loss = Losses.crossEntropy(tape, model.forward(tape, x), labels);
 *   loss = Ops.add(tape, loss, Losses.l2Penalty(tape, 1e-4f, model.tensors("weight")));
 * </pre>
 */
public final class Losses {
    private Losses() {
    }

    /** Mean squared error {@code mean((prediction - target)^2)}; the shapes must be equal. */
    public static Tensor mse(Tape tape, Tensor prediction, Tensor target) {
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException("mse: prediction " + Arrays.toString(prediction.shape())
                    + " and target " + Arrays.toString(target.shape()) + " differ in shape");
        }
        int n = prediction.size();
        float[] p = prediction.data();
        float[] t = target.data();
        int po = prediction.offset();
        int to = target.offset();
        double s = 0;
        for (int i = 0; i < n; i++) {
            float d = p[po + i] - t[to + i];
            s += d * d;
        }
        Tensor out = tape.result(new int[0], tape.needsGrad(prediction, target));
        out.data()[0] = (float) (s / n);
        tape.record(out, () -> {
            float g = out.gradArray()[0] * 2f / n;
            if (prediction.requiresGrad()) {
                float[] gp = tape.grad(prediction);
                int o = prediction.gradOffset();
                for (int i = 0; i < n; i++) {
                    gp[o + i] += g * (p[po + i] - t[to + i]);
                }
            }
            if (target.requiresGrad()) {
                float[] gt = tape.grad(target);
                int o = target.gradOffset();
                for (int i = 0; i < n; i++) {
                    gt[o + i] -= g * (p[po + i] - t[to + i]);
                }
            }
        });
        return out;
    }

    /**
     * Cross-entropy of logits {@code [batch, classes]} against integer labels, averaged over the batch:
     * {@code mean_i (logsumexp(z_i) - z_i[y_i])}, the fused and stable form of log-softmax followed by
     * negative log-likelihood (PyTorch's {@code cross_entropy}). Its gradient is
     * {@code (softmax(z_i) - onehot(y_i)) / batch}.
     *
     * @param labels one class index in {@code [0, classes)} per row, from {@code labels[0]}
     * @throws IllegalArgumentException on a label out of range (naming the row and the label) or too few labels
     */
    public static Tensor crossEntropy(Tape tape, Tensor logits, int[] labels) {
        return crossEntropy(tape, logits, labels, 0);
    }

    /** {@link #crossEntropy(Tape, Tensor, int[])} with the batch's labels from {@code labels[offset]}. */
    public static Tensor crossEntropy(Tape tape, Tensor logits, int[] labels, int offset) {
        return crossEntropy(tape, logits, labels, offset, 0f);
    }

    /**
     * Cross-entropy with label smoothing {@code s} (Szegedy et al., 2016, as PyTorch's
     * {@code label_smoothing}): the target is {@code (1 - s) onehot(y) + s / classes}, so the loss is
     * {@code (1 - s) (lse - z_y) + s mean_j (lse - z_j)} and its gradient {@code (softmax(z) - target) / batch}.
     *
     * @param labelSmoothing in [0, 1]
     */
    public static Tensor crossEntropy(Tape tape, Tensor logits, int[] labels, int offset, float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("cross_entropy: label_smoothing=" + labelSmoothing + " must be in [0, 1]");
        }
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("cross_entropy needs logits [batch, classes], got "
                    + Arrays.toString(logits.shape()));
        }
        int rows = logits.dim(0);
        int c = logits.dim(1);
        if (rows == 0) {
            throw new IllegalArgumentException("cross_entropy of an empty batch " + Arrays.toString(logits.shape()));
        }
        if (offset < 0 || offset + (long) rows > labels.length) {
            throw new IllegalArgumentException("cross_entropy: logits " + Arrays.toString(logits.shape())
                    + " need " + rows + " labels from offset " + offset + " but there are " + labels.length);
        }
        for (int r = 0; r < rows; r++) {
            int y = labels[offset + r];
            if (y < 0 || y >= c) {
                throw new IllegalArgumentException("cross_entropy: label " + y + " of row " + r
                        + " is outside [0, " + c + ") for logits " + Arrays.toString(logits.shape()));
            }
        }
        boolean grad = tape.needsGrad(logits);
        float[] z = logits.data();
        int zo = logits.offset();
        // the softmax, kept for backward (scratch when there is none)
        float[] p = grad ? tape.buffer(rows * c) : new float[c];
        float smooth = labelSmoothing;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int po = grad ? r * c : 0;
            int base = zo + r * c;
            float lse = Activations.softmaxRow(z, base, p, po, c);
            double nll = lse - z[base + labels[offset + r]];
            if (smooth != 0f) {
                double mean = 0;
                for (int j = 0; j < c; j++) {
                    mean += lse - z[base + j];
                }
                nll = (1 - smooth) * nll + smooth * mean / c;
            }
            total += nll;
        }
        Tensor out = tape.result(new int[0], grad);
        out.data()[0] = (float) (total / rows);
        tape.record(out, () -> {
            float g = out.gradArray()[0] / rows;
            float[] gz = tape.grad(logits);
            int go = logits.gradOffset();
            float uniform = smooth / c;
            for (int r = 0; r < rows; r++) {
                int base = r * c;
                for (int j = 0; j < c; j++) {
                    gz[go + base + j] += g * (p[base + j] - uniform);
                }
                gz[go + base + labels[offset + r]] -= g * (1 - smooth);
            }
        });
        return out;
    }

    /**
     * Binary cross-entropy of logits against targets in [0, 1] of the same shape, averaged:
     * {@code mean(max(z, 0) - z t + log(1 + exp(-|z|)))}, stable for any logit (PyTorch's
     * {@code binary_cross_entropy_with_logits}), with gradient {@code (sigmoid(z) - t) / n}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tape tape, Tensor logits, Tensor targets) {
        if (!Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException("binary_cross_entropy_with_logits: logits "
                    + Arrays.toString(logits.shape()) + " and targets " + Arrays.toString(targets.shape())
                    + " differ in shape");
        }
        int n = logits.size();
        float[] z = logits.data();
        float[] t = targets.data();
        int zo = logits.offset();
        int to = targets.offset();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = z[zo + i];
            s += Math.max(v, 0) - v * t[to + i] + Math.log1p(Math.exp(-Math.abs(v)));
        }
        Tensor out = tape.result(new int[0], tape.needsGrad(logits, targets));
        out.data()[0] = (float) (s / n);
        tape.record(out, () -> {
            float g = out.gradArray()[0] / n;
            if (logits.requiresGrad()) {
                float[] gz = tape.grad(logits);
                int o = logits.gradOffset();
                for (int i = 0; i < n; i++) {
                    gz[o + i] += g * (Activations.sigmoid(z[zo + i]) - t[to + i]);
                }
            }
            if (targets.requiresGrad()) {
                float[] gt = tape.grad(targets);
                int o = targets.gradOffset();
                for (int i = 0; i < n; i++) {
                    gt[o + i] -= g * z[zo + i];
                }
            }
        });
        return out;
    }

    /**
     * The L1 penalty {@code coefficient * sum |w|} over the given parameters, with gradient
     * {@code coefficient * sign(w)} (0 at 0, as PyTorch's {@code abs}).
     */
    public static Tensor l1Penalty(Tape tape, float coefficient, List<Tensor> params) {
        return penalty(tape, coefficient, params, false);
    }

    /**
     * The L2 penalty {@code coefficient * sum w^2} over the given parameters, with gradient
     * {@code 2 coefficient w}; SGD's {@code weight_decay=d} equals a coefficient of {@code d / 2}.
     */
    public static Tensor l2Penalty(Tape tape, float coefficient, List<Tensor> params) {
        return penalty(tape, coefficient, params, true);
    }

    private static Tensor penalty(Tape tape, float coefficient, List<Tensor> params, boolean square) {
        if (!Float.isFinite(coefficient) || coefficient < 0) {
            throw new IllegalArgumentException((square ? "l2" : "l1") + " penalty coefficient=" + coefficient
                    + " must be finite and non-negative");
        }
        double s = 0;
        boolean grad = false;
        for (Tensor w : params) {
            float[] x = w.data();
            for (int i = w.offset(), end = w.offset() + w.size(); i < end; i++) {
                s += square ? (double) x[i] * x[i] : Math.abs(x[i]);
            }
            grad |= tape.needsGrad(w);
        }
        Tensor out = tape.result(new int[0], grad);
        out.data()[0] = (float) (coefficient * s);
        tape.record(out, () -> {
            float g = out.gradArray()[0] * coefficient;
            for (Tensor w : params) {
                if (!w.requiresGrad()) {
                    continue;
                }
                float[] x = w.data();
                float[] gw = tape.grad(w);
                int xo = w.offset();
                int o = w.gradOffset();
                for (int i = 0; i < w.size(); i++) {
                    float v = x[xo + i];
                    gw[o + i] += square ? 2f * g * v : g * Math.signum(v);
                }
            }
        });
        return out;
    }
}
