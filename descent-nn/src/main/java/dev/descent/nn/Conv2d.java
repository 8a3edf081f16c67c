package dev.descent.nn;

import dev.descent.tensor.Gemm;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 2-D convolution (cross-correlation, as PyTorch's {@code Conv2d}) of an input {@code [batch, in, h, w]}
 * with a weight {@code [out, in, k, k]} and a bias {@code [out]}, with a stride and zero padding:
 * {@code y[b, o, i, j] = bias[o] + sum_{c, u, v} w[o, c, u, v] x[b, c, s i - p + u, s j - p + v]}.
 *
 * <p>Computed by im2col: each sample's receptive fields are unrolled into an {@code (in k k) x (oh ow)}
 * matrix, and one {@link Gemm#sgemm} with the weight gives the sample's output in place; backward unrolls
 * the sample again (its input must be unchanged until then, as in PyTorch) for the weight's gradient and
 * folds the input's gradient back (col2im), sample by sample too, so that every operand stays in the
 * core's caches. The batch is cut into {@code groupCount} groups of
 * consecutive samples that the threads of {@link Parallel} take in turn; each group sums its samples'
 * weight and bias gradients on its own, and the groups' sums are added in order, so results do not depend
 * on the thread count. Weights are Glorot-uniform and the bias zero by default, as for {@link Linear}.
 */
public final class Conv2d extends Module {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** {@code PAST[r]} holds the lanes from r on. */
    private static final VectorMask<Float>[] PAST = pastMasks();
    private final int in;
    private final int out;
    private final int k;
    private final int stride;
    private final int padding;
    private final ParamRef weight;
    private final ParamRef bias;
    /**
     * Into how many groups of consecutive samples a batch is cut (fewer when it has fewer samples): the
     * units of work the threads take, and of the weight gradient's partial sums.
     */
    int groupCount = 8;

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
        float[] xd = x.data();
        int xo = x.offset();
        float[] wd = wt.data();
        int wo = wt.offset();
        float[] bd = bt == null ? null : bt.data();
        int bo = bt == null ? 0 : bt.offset();
        // The batch is cut into groups of consecutive samples whose size depends only on the batch, and the
        // threads take groups in turn. For each sample, its receptive fields are unrolled into a
        // (in k k) x (oh ow) matrix and one product with the weight gives its output [out, oh, ow] in place.
        // Each thread unrolls into one buffer of its own, which stays in its core's cache; backward unrolls
        // again rather than keep the columns of the whole batch, which would go out to memory and back.
        int group = (batch + groupCount - 1) / groupCount;
        int groups = (batch + group - 1) / group;
        int threads = (long) batch * out * hw * ckk < 1 << 16 ? 1 : Math.min(groups, Parallel.available());
        int sampleCols = ckk * hw;
        int sampleIn = in * h * w;
        float[][] scratch = new float[threads][];
        for (int t = 0; t < threads; t++) {
            scratch[t] = tape.buffer(sampleCols);
        }
        inGroups(groups, threads, (q, t) -> {
            for (int b = q * group, e = Math.min(batch, b + group); b < e; b++) {
                float[] c = scratch[t];
                im2col(xd, xo + b * sampleIn, h, w, oh, ow, c, 0, hw);
                int yo = b * out * hw;
                Gemm.sgemm(false, false, out, hw, ckk, wd, wo, ckk, c, 0, hw, yd, yo, hw, false);
                if (bd != null) {
                    for (int o = 0; o < out; o++) {
                        float bias = bd[bo + o];
                        for (int i = yo + o * hw, end = i + hw; i < end; i++) {
                            yd[i] += bias;
                        }
                    }
                }
            }
        });
        tape.record(y, () -> {
            float[] g = y.gradArray();
            boolean weightGrad = wt.requiresGrad();
            boolean biasGrad = bt != null && bt.requiresGrad();
            float[] freshDx = x.requiresGrad() ? tape.freshGrad(x) : null;
            float[] dx = !x.requiresGrad() ? null : freshDx != null ? freshDx : tape.grad(x);
            int dxo = x.requiresGrad() ? x.gradOffset() : 0;
            // Each group sums its samples' weight gradients (transposed: [in k k, out]) and bias gradients
            // into buffers of its own, added up in group order afterwards, so that the sums do not depend
            // on which thread took which group.
            float[] dwt = weightGrad ? tape.buffer(groups * ckk * out) : null;
            float[] db = biasGrad ? tape.buffer(groups * out) : null;
            float[][] cols = new float[threads][];
            float[][] dcols = new float[threads][];
            for (int t = 0; t < threads; t++) {
                cols[t] = weightGrad ? tape.buffer(sampleCols) : null;
                dcols[t] = dx != null ? tape.buffer(sampleCols) : null;
            }
            inGroups(groups, threads, (q, t) -> {
                for (int b = q * group, e = Math.min(batch, b + group); b < e; b++) {
                    boolean first = b == q * group;
                    int go = b * out * hw;
                    if (weightGrad) {
                        // dW^T (+)= cols dY^T
                        im2col(xd, xo + b * sampleIn, h, w, oh, ow, cols[t], 0, hw);
                        Gemm.sgemm(false, true, ckk, out, hw, cols[t], 0, hw, g, go, hw, dwt, q * ckk * out, out,
                                !first);
                    }
                    if (biasGrad) {
                        for (int o = 0; o < out; o++) {
                            float s = sum(g, go + o * hw, hw);
                            db[q * out + o] = first ? s : db[q * out + o] + s;
                        }
                    }
                    if (dx != null) {
                        // dcols = W^T dY, then folded back onto the sample's input gradient
                        float[] dc = dcols[t];
                        Gemm.sgemm(true, false, ckk, hw, out, wd, wo, ckk, g, go, hw, dc, 0, hw, false);
                        int at = dxo + b * sampleIn;
                        if (freshDx != null) {
                            Arrays.fill(dx, at, at + sampleIn, 0f);
                        }
                        col2im(dc, 0, hw, h, w, oh, ow, dx, at);
                    }
                }
            });
            if (weightGrad) {
                float[] gw = tape.grad(wt);
                int gwo = wt.gradOffset();
                for (int q = 0; q < groups; q++) {
                    for (int o = 0; o < out; o++) {
                        for (int r = 0, from = q * ckk * out + o; r < ckk; r++) {
                            gw[gwo + o * ckk + r] += dwt[from + r * out];
                        }
                    }
                }
            }
            if (biasGrad) {
                float[] gb = tape.grad(bt);
                int gbo = bt.gradOffset();
                for (int q = 0; q < groups; q++) {
                    for (int o = 0; o < out; o++) {
                        gb[gbo + o] += db[q * out + o];
                    }
                }
            }
        });
        return y;
    }

    /** The work on one group of samples, by the thread with the given index (which owns its scratch buffers). */
    @FunctionalInterface
    private interface GroupWork {
        void run(int group, int thread);
    }

    /** Runs {@code work} on every group, the threads taking the next one as they finish. */
    private static void inGroups(int groups, int threads, GroupWork work) {
        AtomicInteger next = new AtomicInteger();
        Parallel.run(threads, t -> {
            for (int q = next.getAndIncrement(); q < groups; q = next.getAndIncrement()) {
                work.run(q, t);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] pastMasks() {
        VectorMask<Float>[] masks = new VectorMask[LANES + 1];
        for (int r = 0; r <= LANES; r++) {
            masks[r] = SPECIES.indexInRange(0, r).not();
        }
        return masks;
    }

    /** The sum of {@code x[from, from + n)}, in vector lanes added up at the end. */
    private static float sum(float[] x, int from, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            acc = acc.add(FloatVector.fromArray(SPECIES, x, from + i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[from + i];
        }
        return s;
    }

    /**
     * Unrolls one sample's receptive fields into rows {@code (c, u, v)} of {@code cols}, starting at column
     * {@code col}, each row {@code ld} floats long.
     */
    private void im2col(float[] x, int xo, int h, int w, int oh, int ow, float[] cols, int col, int ld) {
        int end = col + in * k * k * ld;
        int row = 0;
        for (int c = 0; c < in; c++) {
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++, row++) {
                    int dst = row * ld + col;
                    // with stride 1, output columns [j0, j1) read the input row in place, shifted by v - padding
                    int j0 = Math.min(ow, Math.max(0, padding - v));
                    int j1 = Math.max(j0, Math.min(ow, w + padding - v));
                    for (int i = 0; i < oh; i++) {
                        int ih = i * stride - padding + u;
                        int rowStart = dst + i * ow;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(cols, rowStart, rowStart + ow, 0f);
                            continue;
                        }
                        int src = xo + (c * h + ih) * w;
                        if (stride == 1) {
                            int shift = src + v - padding;
                            for (int j = 0; j < j0; j++) {
                                cols[rowStart + j] = 0f;
                            }
                            copyRun(x, shift + j0, cols, rowStart + j0, j1 - j0, end);
                            for (int j = j1; j < ow; j++) {
                                cols[rowStart + j] = 0f;
                            }
                            continue;
                        }
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
        int end = dxo + in * h * w;
        int row = 0;
        for (int c = 0; c < in; c++) {
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++, row++) {
                    int src = row * ld + col;
                    int j0 = Math.min(ow, Math.max(0, padding - v));
                    int j1 = Math.max(j0, Math.min(ow, w + padding - v));
                    // even rows, then odd ones: a vector added to one row may reach into the next, and reading
                    // it back at once, before the store has landed, would stall
                    for (int step = 0, half = (oh + 1) / 2; step < oh; step++) {
                        int i = step < half ? 2 * step : 2 * (step - half) + 1;
                        int ih = i * stride - padding + u;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int dst = dxo + (c * h + ih) * w;
                        int from = src + i * ow;
                        if (stride == 1) {
                            addRun(cols, from + j0, dx, dst + v - padding + j0, j1 - j0, end);
                            continue;
                        }
                        for (int j = 0; j < ow; j++) {
                            int iw = j * stride - padding + v;
                            if (iw >= 0 && iw < w) {
                                dx[dst + iw] += cols[from + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dst[d, d + n) = src[s, s + n)} with vectors. A run shorter than a vector is copied as one
     * whole vector when that stays below {@code limit}: the floats it writes past the run belong to later
     * runs of the same unrolling, which rewrite them.
     */
    private static void copyRun(float[] src, int s, float[] dst, int d, int n, int limit) {
        int j = 0;
        for (; j + LANES <= n; j += LANES) {
            FloatVector.fromArray(SPECIES, src, s + j).intoArray(dst, d + j);
        }
        if (j == n) {
            return;
        }
        if (n >= LANES) {
            // the last, partial vector again as a whole one ending at the run's end
            FloatVector.fromArray(SPECIES, src, s + n - LANES).intoArray(dst, d + n - LANES);
        } else if (d + LANES <= limit && s + LANES <= src.length) {
            FloatVector.fromArray(SPECIES, src, s).intoArray(dst, d);
        } else {
            for (; j < n; j++) {
                dst[d + j] = src[s + j];
            }
        }
    }

    /**
     * {@code dst[d, d + n) += src[s, s + n)} with vectors; a partial last vector is added as a whole one
     * whose lanes past the run keep {@code dst} as it was, when that stays below {@code limit}.
     */
    private static void addRun(float[] src, int s, float[] dst, int d, int n, int limit) {
        int j = 0;
        for (; j + LANES <= n; j += LANES) {
            FloatVector.fromArray(SPECIES, dst, d + j).add(FloatVector.fromArray(SPECIES, src, s + j))
                    .intoArray(dst, d + j);
        }
        int rest = n - j;
        if (rest == 0) {
            return;
        }
        if (d + j + LANES <= limit && s + j + LANES <= src.length) {
            FloatVector old = FloatVector.fromArray(SPECIES, dst, d + j);
            old.add(FloatVector.fromArray(SPECIES, src, s + j)).blend(old, PAST[rest]).intoArray(dst, d + j);
            return;
        }
        for (; j < n; j++) {
            dst[d + j] += src[s + j];
        }
    }

    @Override
    public String describe() {
        return "Conv2d(" + in + " -> " + out + ", " + k + "x" + k + (stride != 1 ? ", stride " + stride : "")
                + (padding != 0 ? ", padding " + padding : "") + (bias == null ? ", no bias" : "") + ")";
    }
}
