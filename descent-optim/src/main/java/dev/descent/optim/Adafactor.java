package dev.descent.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Adafactor: Adam-like steps whose second moment is kept factored, as one accumulator per row and one per
 * column of each matrix, so that its memory grows with rows + columns instead of rows × columns; the step
 * size is relative to the parameter's scale and the update is clipped by its RMS.
 *
 * <pre>
 *   ρ_t = min(lr, 1/√t)          if relative_step (min(10⁻⁶ t, 1/√t) with warmup_init); ρ_t = lr otherwise
 *   α_t = max(ε₂, RMS(θ)) ρ_t    if scale_parameter; α_t = ρ_t otherwise
 *   β̂₂ = 1 − t^decay_rate
 *   factored (≥ 2 dimensions, over the last two; one pair per leading index):
 *     R ← β̂₂ R + (1 − β̂₂) mean_cols(g² + ε₁)        C ← β̂₂ C + (1 − β̂₂) mean_rows(g² + ε₁)
 *     u = g / √(R Cᵀ / mean(R))
 *   otherwise:  V ← β̂₂ V + (1 − β̂₂)(g² + ε₁),   u = g / √V
 *   u ← α_t u / max(1, RMS(u) / d)                    (d = clip_threshold)
 *   m ← β₁ m + (1 − β₁) u,  u ← m                     (only when beta1 > 0)
 *   θ ← θ (1 − λ α_t) − u
 * </pre>
 * Shazeer and Stern (2018), "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML,
 * arXiv:1804.04235, Algorithms 4 and 5. The reference is Hugging Face transformers' {@code Adafactor}
 * ({@code transformers/optimization.py}, a port of fairseq's), whose rule, names and defaults these are:
 * {@code eps=(1e-30, 1e-3)}, {@code clip_threshold=1.0}, {@code decay_rate=-0.8}, {@code weight_decay=0},
 * {@code scale_parameter=true}, {@code relative_step=true}, {@code warmup_init=false}. Two differences,
 * because a descent hyperparameter always holds a number: the reference's {@code beta1=None} (no first
 * moment) is {@code beta1=0} here, which gives the same steps without keeping m; and its {@code lr=None}
 * with the relative step capped at a fixed 10⁻² is {@code lr=0.01} here, the cap of the relative step
 * (as PyTorch 2.5's {@code torch.optim.Adafactor} uses its {@code lr}), so that the reference's
 * "lr together with relative_step" error does not exist.
 *
 * <p>RMS(θ) and RMS(u) are over the whole parameter, so a pass precedes the elementwise loop: over θ, g and V
 * (unfactored), or over g for the accumulators and then over θ and g (factored); it takes both sums, RMS(u)
 * from u² = g²/V̂ without the root, and the loop recomputes u. Σθ² and the unfactored Σu² are summed in fixed
 * pieces on all step threads, in vectorized float lanes ({@link #squares}, {@link #sums}): within 2·10⁻⁶
 * (relative) of the exact sums, and the same for any number of threads; so are the factored sums, by rows and
 * columns ({@link #factor}). The chain form splits the method along the same lines:
 * {@code chain(scale_by_factored_rms(eps=ε₁, decay_rate, clip_threshold), add_decayed_weights(λ),
 * scale_by_param_block_rms(ε₂), scale_by_relative_step(), scale_by_learning_rate(lr))} (docs/ALGORITHMS.md), calling
 * the same kernels. State: {@code exp_avg_sq_row} and {@code exp_avg_sq_col} (vectors of the parameter's
 * leading-size × rows and leading-size × columns) when factored, else {@code exp_avg_sq}; {@code exp_avg}
 * when beta1 &gt; 0; {@code step}.
 */
public final class Adafactor extends Optimizer {
    /** The description, with the reference's defaults (see above for lr and beta1). */
    public static final Algorithm ALGORITHM = Algorithm.of("adafactor", List.of(
            Hyperparameter.nonNegative("lr", 1e-2),
            Hyperparameter.reals("eps", new double[] {1e-30, 1e-3}, x -> x >= 0, "must be >= 0"),
            Hyperparameter.real("clip_threshold", 1.0, x -> x > 0, "must be > 0"),
            Hyperparameter.real("decay_rate", -0.8, x -> x <= 0, "must be <= 0 (1 - t^decay_rate must stay in [0, 1))"),
            Hyperparameter.real("beta1", 0, x -> x >= 0 && x < 1, "must be in [0, 1); 0 keeps no first moment"),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("scale_parameter", true),
            Hyperparameter.flag("relative_step", true),
            Hyperparameter.flag("warmup_init", false)),
            Adafactor::checkWarmup, Adafactor::new);

    /** Builds Adafactor over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Adafactor(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    private static void checkWarmup(Map<String, Object> v) {
        if ((Boolean) v.get("warmup_init") && !(Boolean) v.get("relative_step")) {
            throw new IllegalArgumentException("adafactor: warmup_init=true requires relative_step=true");
        }
    }

    /**
     * The number of matrices, rows and columns of the last two dimensions, {@code {count, rows, cols}}; null when
     * {@code p} has fewer than 2 dimensions and is not factored. Shared with the chain's {@code scale_by_factored_rms}.
     */
    public static int[] factoring(Param p) {
        int[] shape = p.shape();
        if (shape.length < 2) {
            return null;
        }
        int rows = shape[shape.length - 2];
        int cols = shape[shape.length - 1];
        return new int[] {p.size() == 0 ? 0 : p.size() / (rows * cols), rows, cols};
    }

    @Override
    protected int vectorLength(Param p, String name) {
        return factorLength(p, name);
    }

    /**
     * The length of the factored accumulator {@code name} of {@code p} ({@code exp_avg_sq_row}: a row sum per row of
     * each matrix, {@code exp_avg_sq_col}: one per column), or -1 when {@code p} is not factored or the name is
     * another; shared with {@code scale_by_factored_rms}.
     */
    public static int factorLength(Param p, String name) {
        int[] f = factoring(p);
        if (f != null && name.equals("exp_avg_sq_row")) {
            return f[0] * f[1];
        }
        if (f != null && name.equals("exp_avg_sq_col")) {
            return f[0] * f[2];
        }
        return -1;
    }

    /** Its update makes a pass over the parameter for a norm first: over many small parameters, on all threads. */
    @Override
    protected boolean updatesIndependently() {
        return true;
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        int offset = p.offset();
        int size = p.size();
        long t = state.step();
        double rho = !group.flag("relative_step") ? group.lr()
                : Math.min(group.flag("warmup_init") ? 1e-6 * t : group.lr(), 1 / Math.sqrt(t));
        double decay = 1 - Math.pow(t, group.real("decay_rate"));
        float b2 = (float) decay;
        float rest2 = (float) (1 - decay);
        float eps1 = (float) group.real("eps", 0);
        int[] f = factoring(p);
        // Both sums in one pass before the loop: Σθ² for RMS(θ) and Σu² for RMS(u), with u² = g²/V̂ (no root).
        Sums sums;
        float[] rowFactor = null;
        float[] colFactor = null;
        float[] v = null;
        if (f != null) {
            rowFactor = new float[f[0] * f[1]];
            colFactor = new float[f[0] * f[2]];
            factor(grad, offset, f, eps1, b2, rest2, state.vector("exp_avg_sq_row", rowFactor.length),
                    state.vector("exp_avg_sq_col", colFactor.length), rowFactor, colFactor);
            sums = sums(grad, w, offset, f, rowFactor, colFactor);
        } else {
            v = state.buffer("exp_avg_sq");
            sums = sums(grad, w, v, offset, offset + size, b2, rest2, eps1);
        }
        double weightSquares = sums.weights();
        double updateSquares = sums.updates();
        double alpha = rho * (group.flag("scale_parameter") ? Math.max(group.real("eps", 1), Math.sqrt(weightSquares / size)) : 1);
        double clip = Math.max(1, Math.sqrt(updateSquares / size) / group.real("clip_threshold"));
        float scale = (float) (alpha / clip);
        float shrink = (float) (1 - group.real("weight_decay") * alpha);
        double beta1 = group.real("beta1");
        float[] m = beta1 > 0 ? state.buffer("exp_avg") : null;
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        if (f != null) {
            float[] rf = rowFactor;
            float[] cf = colFactor;
            int rows = f[1];
            int cols = f[2];
            // Row by row, so that the inner loop runs along a row of g and the column factors without dividing.
            return (from, to) -> {
                for (int row = (from - offset) / cols, end = (to - 1 - offset) / cols; row <= end; row++) {
                    int start = offset + row * cols;
                    int colBase = row / rows * cols - start;
                    float rowScale = rf[row] * scale;
                    for (int i = Math.max(from, start), stop = Math.min(to, start + cols); i < stop; i++) {
                        float u = grad[i] * cf[colBase + i] * rowScale;
                        w[i] = w[i] * shrink - (m == null ? u : (m[i] = Math.fma(u, rest1, m[i] * b1)));
                    }
                }
            };
        }
        float[] vv = v;
        if (m == null) {
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = grad[i];
                    float vi = Math.fma(rest2, Math.fma(g, g, eps1), vv[i] * b2);
                    vv[i] = vi;
                    w[i] = w[i] * shrink - g / (float) Math.sqrt(vi) * scale;
                }
            };
        }
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = grad[i];
                float vi = Math.fma(rest2, Math.fma(g, g, eps1), vv[i] * b2);
                float mi = Math.fma(g / (float) Math.sqrt(vi) * scale, rest1, m[i] * b1);
                vv[i] = vi;
                m[i] = mi;
                w[i] = w[i] * shrink - mi;
            }
        };
    }

    /** Float lanes of the RMS sums: lane k sums the terms k, k + LANES, k + 2 LANES, ... of a piece. */
    private static final int LANES = 512;
    /**
     * Rows of LANES terms each lane adds plainly before its partial sum goes into the lane's compensated total: few
     * enough that a partial is within about ROWS float roundings of exact, many enough that the two-sum costs little
     * (with 8 rows, a step over 10M parameters took 5-15% longer, in four pairs of JVMs run in turn per layout).
     */
    private static final int ROWS = 32;

    /**
     * Each thread's nine lane arrays for {@link #laneSums} (three row copies, two partials, two compensated totals of
     * two each), reused from piece to piece: allocating them for every 2^16-element piece made garbage enough (about
     * 3 MB a step over 10M parameters) to slow a step under G1 by a quarter.
     */
    private static final ThreadLocal<float[][]> LANE_ARRAYS = ThreadLocal.withInitial(() -> new float[9][LANES]);

    /**
     * Σθ² over {@code [from, to)}: RMS(θ)'s sum, shared with {@code scale_by_param_block_rms}; the same sum as
     * {@link #sums}' Σθ², bit for bit (see there how it is summed).
     */
    public static double squares(float[] w, int from, int to) {
        return laneSums(w, null, null, from, to, 0, 0, 0)[0];
    }

    /** {Σθ², Σ g²/V'} over {@code [from, to)} as {@link #sums} describes, each 0 when its arrays are not given. */
    private static double[] laneSums(float[] w, float[] g, float[] v, int from, int to, float b2, float rest2, float eps1) {
        return StepThreads.sum(2, from, to, (a, b, out) -> {
            // The rows are copied first: C2 does not vectorize a loop that stores into one float array at k and reads
            // another at row + k (it cannot rule out that they are the same array); the copies stay in L1.
            float[][] lanes = LANE_ARRAYS.get();
            for (int k = 3; k < lanes.length; k++) {
                Arrays.fill(lanes[k], 0f);
            }
            float[] ws = lanes[0];
            float[] gs = lanes[1];
            float[] vs = lanes[2];
            float[] wPart = lanes[3];
            float[] uPart = lanes[4];
            float[] wHi = lanes[5];
            float[] wLo = lanes[6];
            float[] uHi = lanes[7];
            float[] uLo = lanes[8];
            for (int block = a; block < b; block += ROWS * LANES) {
                for (int row = block, end = Math.min(b, block + ROWS * LANES); row < end; row += LANES) {
                    int n = Math.min(LANES, end - row);
                    if (w != null) {
                        System.arraycopy(w, row, ws, 0, n);
                        addSquares(ws, n, wPart);
                    }
                    if (g != null) {
                        System.arraycopy(g, row, gs, 0, n);
                        System.arraycopy(v, row, vs, 0, n);
                        addUpdates(gs, vs, n, b2, rest2, eps1, uPart);
                    }
                }
                if (w != null) {
                    addCompensated(wPart, wHi, wLo, LANES);
                }
                if (g != null) {
                    addCompensated(uPart, uHi, uLo, LANES);
                }
            }
            double weights = collect(wHi, wLo, LANES);
            double updates = collect(uHi, uLo, LANES);
            if (w != null && !(weights >= (b - a) * 0x1p-90 && weights < Double.POSITIVE_INFINITY)) {
                weights = 0;
                for (int i = a; i < b; i++) {
                    weights += (double) w[i] * w[i];
                }
            }
            if (g != null && !(updates < Double.POSITIVE_INFINITY)) {
                updates = 0;
                for (int i = a; i < b; i++) {
                    float gi = g[i];
                    float g2 = gi * gi;
                    updates += g2 / Math.fma(rest2, g2 + eps1, v[i] * b2);
                }
            }
            out[0] += weights;
            out[1] += updates;
        });
    }

    /** Adds fl(θ²) for the first {@code n} of {@code ws} into the partial lanes, rounding once per term (fma). */
    private static void addSquares(float[] ws, int n, float[] part) {
        for (int k = 0; k < n; k++) {
            float x = ws[k];
            part[k] = Math.fma(x, x, part[k]);
        }
    }

    /** Adds g²/V' for the first {@code n} of {@code gs} and {@code vs} into the partial lanes. */
    private static void addUpdates(float[] gs, float[] vs, int n, float b2, float rest2, float eps1, float[] part) {
        for (int k = 0; k < n; k++) {
            float gi = gs[k];
            float g2 = gi * gi;
            part[k] += g2 / Math.fma(rest2, g2 + eps1, vs[k] * b2);
        }
    }

    /**
     * Adds each of {@code n} lanes' partial into its total hi + lo by Knuth's two-sum, which loses nothing, and clears
     * the partials.
     */
    private static void addCompensated(float[] part, float[] hi, float[] lo, int n) {
        for (int k = 0; k < n; k++) {
            float p = part[k];
            float h = hi[k];
            float s = h + p;
            float bp = s - h;
            lo[k] += (h - (s - bp)) + (p - bp);
            hi[k] = s;
            part[k] = 0;
        }
    }

    /** Σ(hi + lo) over the first {@code n} lanes in double, in lane order. */
    private static double collect(float[] hi, float[] lo, int n) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += (double) hi[k] + lo[k];
        }
        return sum;
    }

    /** Σθ² (0 when θ is not given) and Σu² of one parameter, in double. */
    public record Sums(double weights, double updates) {
    }

    /**
     * Σu² of the factored update u = g / √(R Cᵀ / mean(R)) = g · colFactor · rowFactor from the factors {@link #factor}
     * wrote, and Σθ² ({@link #squares}) when {@code w} is not null; shared with {@code scale_by_factored_rms}.
     *
     * <p>One float lane per column, over a copy of each row and of the matrix's column factors (so that C2 vectorizes
     * the loop, see {@link #sums(float[], float[], float[], int, int, float, float, float)}): each lane adds u² of 32
     * rows plainly, then adds that partial into a compensated total (two-sum); the lanes go into a double per matrix.
     * As there, the sum is within 32 · 2⁻²⁴ of exact, and a matrix whose sum is tiny or not finite is summed again in
     * double, row by row.
     */
    public static Sums sums(float[] g, float[] w, int offset, int[] f, float[] rowFactor, float[] colFactor) {
        double weights = w == null ? 0 : squares(w, offset, offset + rowFactor.length * f[2]);
        int rows = f[1];
        int cols = f[2];
        float[] u = new float[cols];
        float[] cf = new float[cols];
        float[] part = new float[cols];
        float[] hi = new float[cols];
        float[] lo = new float[cols];
        double updates = 0;
        for (int b = 0; b < f[0]; b++) {
            System.arraycopy(colFactor, b * cols, cf, 0, cols);
            for (int i = 0; i < rows; i++) {
                int row = b * rows + i;
                System.arraycopy(g, offset + row * cols, u, 0, cols);
                float rf = rowFactor[row];
                for (int j = 0; j < cols; j++) {
                    float x = u[j] * cf[j] * rf;
                    part[j] = Math.fma(x, x, part[j]);
                }
                if (i % ROWS == ROWS - 1 || i == rows - 1) {
                    addCompensated(part, hi, lo, cols);
                }
            }
            double matrix = collect(hi, lo, cols);
            if (!(matrix >= (double) rows * cols * 0x1p-90 && matrix < Double.POSITIVE_INFINITY)) {
                matrix = 0;
                for (int i = 0; i < rows; i++) {
                    int row = b * rows + i;
                    System.arraycopy(g, offset + row * cols, u, 0, cols);
                    for (int j = 0; j < cols; j++) {
                        u[j] *= cf[j];
                    }
                    matrix += sumOfSquares(u, cols) * rowFactor[row] * rowFactor[row];
                }
            }
            updates += matrix;
            Arrays.fill(hi, 0);
            Arrays.fill(lo, 0);
        }
        return new Sums(weights, updates);
    }

    /** Σx² of the first {@code n} of {@code x} in double, in four interleaved partial sums (independent additions). */
    private static double sumOfSquares(float[] x, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += (double) x[j] * x[j];
            s1 += (double) x[j + 1] * x[j + 1];
            s2 += (double) x[j + 2] * x[j + 2];
            s3 += (double) x[j + 3] * x[j + 3];
        }
        for (; j < n; j++) {
            s0 += (double) x[j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Σx of the first {@code n} of {@code x}: eight terms at a time added pairwise in float (within 3 roundings), then in
     * double, alternating between two partial sums; fewer conversions to double than a plain double sum, which here
     * stays scalar.
     */
    private static double sum(float[] x, int n) {
        double s0 = 0;
        double s1 = 0;
        int j = 0;
        for (; j + 16 <= n; j += 16) {
            s0 += ((x[j] + x[j + 1]) + (x[j + 2] + x[j + 3])) + ((x[j + 4] + x[j + 5]) + (x[j + 6] + x[j + 7]));
            s1 += ((x[j + 8] + x[j + 9]) + (x[j + 10] + x[j + 11])) + ((x[j + 12] + x[j + 13]) + (x[j + 14] + x[j + 15]));
        }
        for (; j < n; j++) {
            s0 += x[j];
        }
        return s0 + s1;
    }

    /**
     * Σu² of the unfactored update u = g / √V' over {@code [from, to)}, with V' = β̂₂V + (1 − β̂₂)(g² + ε₁) the
     * accumulator this step will write (V itself is not changed), and in the same pass Σθ² ({@link #squares}) when
     * {@code w} is not null; shared with {@code scale_by_factored_rms}.
     *
     * <p>Both sums are cut into pieces of {@code StepThreads.SUM_CHUNK} elements added in order (on several threads
     * for a large parameter; the same for any number). Within a piece, 512 float lanes each add 32 terms plainly
     * (θ² by one fma, g²/V' a float already), then add that partial into a compensated total by Knuth's two-sum
     * (its rounding error kept in a second float per lane); the totals go into a double at the end of the piece. The
     * terms are all positive, so each partial is within 32 float roundings of exact and the sums within
     * 32 · 2⁻²⁴ ≈ 2·10⁻⁶ relative (far less in practice: the roundings do not all go one way). The lane loops
     * are few operations per element, so the pass runs at memory speed, and C2 vectorizes them (over a copy of each
     * row: it does not vectorize a loop that stores into one float array at k and reads another at row + k, which
     * might be the same array). A piece whose Σθ² is tiny (where θ² may be subnormal) or not finite, or whose Σu² is
     * not finite, is summed again in double in index order.
     */
    public static Sums sums(float[] g, float[] w, float[] v, int from, int to, float b2, float rest2, float eps1) {
        double[] sums = laneSums(w, g, v, from, to, b2, rest2, eps1);
        return new Sums(sums[0], sums[1]);
    }

    /**
     * Updates the row and column accumulators R and C from g² + ε₁ and writes the factors of √(R Cᵀ / mean(R))⁻¹:
     * {@code rowFactor} = 1/√(R / mean(R)) and {@code colFactor} = 1/√C, per matrix {@code b} of {@code f[0]}.
     * Shared with the chain's {@code scale_by_factored_rms}.
     *
     * <p>Row by row over a copy of the row (so C2 vectorizes the loops, see laneSums): its terms g² + ε₁ in float,
     * their sum from pairwise eight-term float partials added in double, and the column sums in float for 32 rows at a
     * time, added then into double column sums: the row means are within 3 float roundings (about 2·10⁻⁷ relative),
     * the column means within 32 (about 2·10⁻⁶), before they round to float in R and C.
     */
    public static void factor(float[] grad, int offset, int[] f, float eps1, float b2, float rest2,
                              float[] r, float[] c, float[] rowFactor, float[] colFactor) {
        int rows = f[1];
        int cols = f[2];
        float[] terms = new float[cols];
        float[] colPart = new float[cols];
        double[] colSums = new double[cols];
        for (int b = 0; b < f[0]; b++) {
            Arrays.fill(colSums, 0);
            double rMean = 0;
            for (int i = 0; i < rows; i++) {
                System.arraycopy(grad, offset + (b * rows + i) * cols, terms, 0, cols);
                for (int j = 0; j < cols; j++) {
                    float g = terms[j];
                    float term = Math.fma(g, g, eps1);
                    terms[j] = term;
                    colPart[j] += term;
                }
                if (i % ROWS == ROWS - 1 || i == rows - 1) {
                    for (int j = 0; j < cols; j++) {
                        colSums[j] += colPart[j];
                    }
                    Arrays.fill(colPart, 0);
                }
                int k = b * rows + i;
                r[k] = Math.fma(rest2, (float) (sum(terms, cols) / cols), r[k] * b2);
                rMean += r[k];
            }
            rMean /= rows;
            for (int i = 0; i < rows; i++) {
                rowFactor[b * rows + i] = (float) (1 / Math.sqrt(r[b * rows + i] / rMean));
            }
            for (int j = 0; j < cols; j++) {
                int k = b * cols + j;
                c[k] = Math.fma(rest2, (float) (colSums[j] / rows), c[k] * b2);
                colFactor[k] = (float) (1 / Math.sqrt(c[k]));
            }
        }
    }
}
