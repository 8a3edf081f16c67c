package dev.descent.tensor;

import java.util.Arrays;

/**
 * Differentiable arithmetic, reductions, reshaping and matrix products on tensors, each recorded on a
 * {@link Tape} with its gradient rule.
 *
 * <p>Binary elementwise ops broadcast as NumPy and PyTorch do: shapes are aligned at their last
 * dimension, and a dimension of size 1 (or a missing leading one) stretches to the other's size; in
 * backward, the gradient of a stretched input is summed over the stretched dimensions. Every matrix
 * product, forward and backward, goes through {@link Gemm#sgemm}.
 */
public final class Ops {
    private Ops() {
    }

    // ----- elementwise with broadcasting -----

    /** {@code a + b}, broadcasting. */
    public static Tensor add(Tape tape, Tensor a, Tensor b) {
        return binary(tape, a, b, ADD);
    }

    /** {@code a - b}, broadcasting. */
    public static Tensor sub(Tape tape, Tensor a, Tensor b) {
        return binary(tape, a, b, SUB);
    }

    /** {@code a * b} elementwise, broadcasting. */
    public static Tensor mul(Tape tape, Tensor a, Tensor b) {
        return binary(tape, a, b, MUL);
    }

    /** {@code a / b} elementwise, broadcasting. */
    public static Tensor div(Tape tape, Tensor a, Tensor b) {
        return binary(tape, a, b, DIV);
    }

    /** {@code c * a} for a constant {@code c}. */
    public static Tensor scale(Tape tape, Tensor a, float c) {
        Tensor out = tape.result(a.shape, tape.needsGrad(a));
        float[] x = a.data;
        float[] y = out.data;
        int xo = a.offset;
        for (int i = 0; i < a.size; i++) {
            y[i] = c * x[xo + i];
        }
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            int gao = a.gradOffset;
            float[] g = out.grad;
            for (int i = 0; i < a.size; i++) {
                ga[gao + i] += c * g[i];
            }
        });
        return out;
    }

    private static final int ADD = 0;
    private static final int SUB = 1;
    private static final int MUL = 2;
    private static final int DIV = 3;
    private static final String[] BINARY_NAMES = {"add", "sub", "mul", "div"};

    private static Tensor binary(Tape tape, Tensor a, Tensor b, int op) {
        int[] shape = broadcastShape(BINARY_NAMES[op], a.shape, b.shape);
        int[] ia = Arrays.equals(shape, a.shape) ? null : broadcastIndex(shape, a.shape);
        int[] ib = Arrays.equals(shape, b.shape) ? null : broadcastIndex(shape, b.shape);
        Tensor out = tape.result(shape, tape.needsGrad(a, b));
        float[] x = a.data;
        float[] z = b.data;
        float[] y = out.data;
        int xo = a.offset;
        int zo = b.offset;
        int n = out.size;
        if (ia == null && ib == null) {
            switch (op) {
                case ADD -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = x[xo + i] + z[zo + i];
                    }
                }
                case SUB -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = x[xo + i] - z[zo + i];
                    }
                }
                case MUL -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = x[xo + i] * z[zo + i];
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = x[xo + i] / z[zo + i];
                    }
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                float u = x[xo + (ia == null ? i : ia[i])];
                float v = z[zo + (ib == null ? i : ib[i])];
                y[i] = switch (op) {
                    case ADD -> u + v;
                    case SUB -> u - v;
                    case MUL -> u * v;
                    default -> u / v;
                };
            }
        }
        tape.record(out, () -> {
            float[] g = out.grad;
            if (a.requiresGrad) {
                float[] ga = tape.grad(a);
                int gao = a.gradOffset;
                for (int i = 0; i < n; i++) {
                    float d = switch (op) {
                        case ADD, SUB -> g[i];
                        case MUL -> g[i] * z[zo + (ib == null ? i : ib[i])];
                        default -> g[i] / z[zo + (ib == null ? i : ib[i])];
                    };
                    ga[gao + (ia == null ? i : ia[i])] += d;
                }
            }
            if (b.requiresGrad) {
                float[] gb = tape.grad(b);
                int gbo = b.gradOffset;
                for (int i = 0; i < n; i++) {
                    float d = switch (op) {
                        case ADD -> g[i];
                        case SUB -> -g[i];
                        case MUL -> g[i] * x[xo + (ia == null ? i : ia[i])];
                        default -> {
                            float v = z[zo + (ib == null ? i : ib[i])];
                            yield -g[i] * x[xo + (ia == null ? i : ia[i])] / (v * v);
                        }
                    };
                    gb[gbo + (ib == null ? i : ib[i])] += d;
                }
            }
        });
        return out;
    }

    /** The broadcast shape of two shapes, or an error naming both. */
    static int[] broadcastShape(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " do not broadcast (dimension " + i + " of the result: " + da
                        + " vs " + db + ")");
            }
            s[i] = da == 1 ? db : da;
        }
        return s;
    }

    /** For each element of {@code out} (row-major), the index of the element of {@code in} it reads. */
    static int[] broadcastIndex(int[] out, int[] in) {
        int n = Tensor.sizeOf(out);
        int[] map = new int[n];
        int rank = out.length;
        int lead = rank - in.length;
        int[] inStride = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= lead; i--) {
            int d = in[i - lead];
            inStride[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        int[] idx = new int[rank];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            map[i] = pos;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                pos += inStride[d];
                if (idx[d] < out[d]) {
                    break;
                }
                pos -= inStride[d] * idx[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    // ----- reductions -----

    /** The sum of all elements, a scalar. */
    public static Tensor sum(Tape tape, Tensor a) {
        return total(tape, a, 1f);
    }

    /** The mean of all elements, a scalar. */
    public static Tensor mean(Tape tape, Tensor a) {
        if (a.size == 0) {
            throw new IllegalArgumentException("mean of an empty tensor of shape " + Arrays.toString(a.shape));
        }
        return total(tape, a, 1f / a.size);
    }

    private static Tensor total(Tape tape, Tensor a, float factor) {
        Tensor out = tape.result(new int[0], tape.needsGrad(a));
        double s = 0;
        float[] x = a.data;
        for (int i = a.offset, end = a.offset + a.size; i < end; i++) {
            s += x[i];
        }
        out.data[0] = (float) (s * factor);
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            float g = out.grad[0] * factor;
            for (int i = a.gradOffset, end = a.gradOffset + a.size; i < end; i++) {
                ga[i] += g;
            }
        });
        return out;
    }

    /** The sum over dimension {@code axis} (negative counts from the end), which is removed from the shape. */
    public static Tensor sum(Tape tape, Tensor a, int axis) {
        return alongAxis(tape, a, axis, false);
    }

    /** The mean over dimension {@code axis} (negative counts from the end), which is removed from the shape. */
    public static Tensor mean(Tape tape, Tensor a, int axis) {
        return alongAxis(tape, a, axis, true);
    }

    private static Tensor alongAxis(Tape tape, Tensor a, int axis, boolean mean) {
        int ax = axis(mean ? "mean" : "sum", a.shape, axis);
        int before = 1;
        for (int i = 0; i < ax; i++) {
            before *= a.shape[i];
        }
        int outer = before;
        int len = a.shape[ax];
        int inner = a.size / Math.max(1, outer * len);
        if (mean && len == 0) {
            throw new IllegalArgumentException("mean over an empty dimension " + ax + " of shape "
                    + Arrays.toString(a.shape));
        }
        int[] shape = new int[a.shape.length - 1];
        for (int i = 0, j = 0; i < a.shape.length; i++) {
            if (i != ax) {
                shape[j++] = a.shape[i];
            }
        }
        float factor = mean ? 1f / len : 1f;
        Tensor out = tape.result(shape, tape.needsGrad(a));
        float[] x = a.data;
        float[] y = out.data;
        Arrays.fill(y, 0, out.size, 0f);
        for (int o = 0; o < outer; o++) {
            for (int l = 0; l < len; l++) {
                int src = a.offset + (o * len + l) * inner;
                int dst = o * inner;
                for (int i = 0; i < inner; i++) {
                    y[dst + i] += x[src + i];
                }
            }
        }
        if (mean) {
            for (int i = 0; i < out.size; i++) {
                y[i] *= factor;
            }
        }
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            float[] g = out.grad;
            for (int o = 0; o < outer; o++) {
                for (int l = 0; l < len; l++) {
                    int dst = a.gradOffset + (o * len + l) * inner;
                    int src = o * inner;
                    for (int i = 0; i < inner; i++) {
                        ga[dst + i] += factor * g[src + i];
                    }
                }
            }
        });
        return out;
    }

    static int axis(String op, int[] shape, int axis) {
        int ax = axis < 0 ? shape.length + axis : axis;
        if (ax < 0 || ax >= shape.length) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape "
                    + Arrays.toString(shape));
        }
        return ax;
    }

    // ----- shapes -----

    /**
     * The same elements with another shape; one dimension may be -1, inferred from the others. The result
     * shares the input's values.
     */
    public static Tensor reshape(Tape tape, Tensor a, int... shape) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && infer < 0) {
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape " + Arrays.toString(a.shape) + " to "
                        + Arrays.toString(shape) + ": only one dimension may be -1 and none may be negative");
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || a.size % known != 0) {
                throw new IllegalArgumentException("reshape " + Arrays.toString(a.shape) + " (" + a.size
                        + " elements) to " + Arrays.toString(shape) + ": -1 cannot be inferred");
            }
            s[infer] = (int) (a.size / known);
            known *= s[infer];
        }
        if (known != a.size) {
            throw new IllegalArgumentException("reshape " + Arrays.toString(a.shape) + " (" + a.size
                    + " elements) to " + Arrays.toString(shape) + " (" + known + " elements)");
        }
        Tensor out = tape.resultView(a.data, a.offset, s, tape.needsGrad(a));
        tape.record(out, () -> {
            float[] ga = tape.grad(a);
            float[] g = out.grad;
            int go = out.gradOffset;
            for (int i = 0; i < a.size; i++) {
                ga[a.gradOffset + i] += g[go + i];
            }
        });
        return out;
    }

    // ----- matrix products -----

    /** The matrix product of {@code a} (m x k) and {@code b} (k x n), an m x n matrix. */
    public static Tensor matmul(Tape tape, Tensor a, Tensor b) {
        if (a.shape.length != 2 || b.shape.length != 2 || a.shape[1] != b.shape[0]) {
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape) + " and "
                    + Arrays.toString(b.shape) + " do not chain (need m x k times k x n)");
        }
        int m = a.shape[0];
        int k = a.shape[1];
        int n = b.shape[1];
        Tensor out = tape.result(new int[] {m, n}, tape.needsGrad(a, b));
        Gemm.sgemm(false, false, m, n, k, a.data, a.offset, k, b.data, b.offset, n, out.data, 0, n, false);
        tape.record(out, () -> {
            if (a.requiresGrad) {
                // dA += dC * B^T
                Gemm.sgemm(false, true, m, k, n, out.grad, 0, n, b.data, b.offset, n,
                        tape.grad(a), a.gradOffset, k, true);
            }
            if (b.requiresGrad) {
                // dB += A^T * dC
                Gemm.sgemm(true, false, k, n, m, a.data, a.offset, k, out.grad, 0, n,
                        tape.grad(b), b.gradOffset, n, true);
            }
        });
        return out;
    }

    /**
     * The affine map {@code x W^T + b} of a batch: x is batch x in, {@code weight} is out x in (PyTorch's
     * layout), {@code bias} has {@code out} elements or is null. Fused: the bias is written first and the
     * product accumulated onto it.
     */
    public static Tensor linear(Tape tape, Tensor x, Tensor weight, Tensor bias) {
        if (weight.shape.length != 2) {
            throw new IllegalArgumentException("linear: weight must be out x in, got " + Arrays.toString(weight.shape));
        }
        int outF = weight.shape[0];
        int inF = weight.shape[1];
        if (x.shape.length != 2 || x.shape[1] != inF) {
            throw new IllegalArgumentException("linear: input " + Arrays.toString(x.shape)
                    + " does not match weight " + Arrays.toString(weight.shape) + " (expected [batch, " + inF + "])");
        }
        if (bias != null && bias.size != outF) {
            throw new IllegalArgumentException("linear: bias " + Arrays.toString(bias.shape)
                    + " does not match weight " + Arrays.toString(weight.shape) + " (expected [" + outF + "])");
        }
        int batch = x.shape[0];
        boolean grad = tape.isRecording() && (x.requiresGrad || weight.requiresGrad
                || (bias != null && bias.requiresGrad));
        Tensor out = tape.result(new int[] {batch, outF}, grad);
        float[] y = out.data;
        if (bias != null) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(bias.data, bias.offset, y, r * outF, outF);
            }
        }
        Gemm.sgemm(false, true, batch, outF, inF, x.data, x.offset, inF, weight.data, weight.offset, inF,
                y, 0, outF, bias != null);
        tape.record(out, () -> {
            float[] g = out.grad;
            if (x.requiresGrad) {
                // dX += dY * W
                Gemm.sgemm(false, false, batch, inF, outF, g, 0, outF, weight.data, weight.offset, inF,
                        tape.grad(x), x.gradOffset, inF, true);
            }
            if (weight.requiresGrad) {
                // dW += dY^T * X
                Gemm.sgemm(true, false, outF, inF, batch, g, 0, outF, x.data, x.offset, inF,
                        tape.grad(weight), weight.gradOffset, inF, true);
            }
            if (bias != null && bias.requiresGrad) {
                float[] gb = tape.grad(bias);
                int bo = bias.gradOffset;
                for (int r = 0; r < batch; r++) {
                    int row = r * outF;
                    for (int j = 0; j < outF; j++) {
                        gb[bo + j] += g[row + j];
                    }
                }
            }
        });
        return out;
    }
}
