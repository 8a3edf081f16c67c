package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * Muon (MomentUm Orthogonalized by Newton-Schulz): SGD momentum for matrices whose update is replaced by an
 * approximation of the nearest semi-orthogonal matrix, computed by a quintic Newton-Schulz iteration; other
 * parameters take AdamW steps.
 *
 * <pre>
 *   matrices (2 or more dimensions, viewed as shape[0] × the rest), when use_muon:
 *     b ← μ b + g
 *     d ← g + μ b if nesterov, else b
 *     X ← d / (‖d‖_F + 10⁻⁷)                          (transposed while rows &gt; columns)
 *     X ← a X + (b' A + c' A²) X,   A = X Xᵀ           ns_steps times; (a, b', c') = (3.4445, −4.7750, 2.0315)
 *     θ ← θ (1 − γλ) − γ √max(1, rows/columns) X
 *   everything else (AdamW, with γₐ = adamw_lr · γ / γ₀):
 *     m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
 *     θ ← θ (1 − γₐλ) − γₐ √(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε)   (ε added to the uncorrected √v)
 * </pre>
 * Jordan et al. (2024), "Muon: An optimizer for hidden layers in neural networks",
 * kellerjordan.github.io/posts/muon. The reference is {@code muon.py} in KellerJordan/Muon, the version
 * with the built-in AdamW backup ({@code Muon(muon_params, lr=0.02, momentum=0.95, nesterov=True, ns_steps,
 * adamw_params, adamw_lr=3e-4, adamw_betas=(0.95, 0.95), adamw_eps=1e-8, adamw_wd=0)}), whose rule and
 * defaults these are, with {@code ns_steps=5} (the current reference's) and the current reference's
 * decoupled {@code weight_decay} (default 0), which here serves both parts in place of {@code adamw_wd}.
 * As there, the AdamW learning rate follows schedules of {@code lr}: it is {@code adamw_lr} times
 * γ/γ₀, where γ₀ is the group's lr when the optimizer was built (saved as the group's {@code initial_lr};
 * the factor is 1 when γ₀ is 0). The reference also sends matrices with very many rows (embeddings, output
 * layers) to AdamW by size; here give them {@code use_muon=false} by a group rule instead
 * ({@code "embed|head: use_muon=false"}). The reference iterates in bfloat16; this one in float32. Its
 * momentum buffer is SGD's (b ← μb + g); the current reference keeps (1 − μ) times it, the same direction.
 *
 * <p>The iteration costs about 1.5·n²m + n³/2 multiply-adds per step (n ≤ m the matrix's sides; A and A² are
 * symmetric, so only their upper triangles are computed), in a cache-blocked product ({@link MatrixProduct})
 * on the calling thread. State: {@code momentum_buffer} (matrices); {@code exp_avg}, {@code exp_avg_sq} (AdamW); {@code step}.
 */
public final class Muon extends Optimizer {
    private static final float A = 3.4445f;
    private static final float B = -4.7750f;
    private static final float C = 2.0315f;

    /** The description, with the reference's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("muon", List.of(
            Hyperparameter.nonNegative("lr", 0.02),
            Hyperparameter.real("momentum", 0.95, x -> x >= 0 && x < 1, "must be in [0, 1)"),
            Hyperparameter.flag("nesterov", true),
            Hyperparameter.integer("ns_steps", 5, 0),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.nonNegative("adamw_lr", 3e-4),
            Hyperparameter.reals("adamw_betas", new double[] {0.95, 0.95}, x -> x >= 0 && x < 1, "must be in [0, 1)"),
            Hyperparameter.nonNegative("adamw_eps", 1e-8),
            Hyperparameter.flag("use_muon", true)),
            null, Muon::new);

    private final double[] initialLr;

    /** Builds Muon over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Muon(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
        initialLr = paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }


    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        return orthogonalized(p, group.flag("use_muon")) ? muon(group, p, state) : adamw(group, p, state);
    }

    private Kernel muon(ParamGroup group, Param p, ParamState state) {
        float[] o = orthogonalizedMomentum(p.store().grad(), state.buffer("momentum_buffer"), p, (float) group.real("momentum"),
                group.flag("nesterov"), (int) group.integer("ns_steps"));
        return land(p, o, group.lr(), group.real("weight_decay"));
    }

    /**
     * Whether {@code p} takes Muon steps: 2 or more dimensions, not empty, and {@code useMuon}; the rule this
     * optimizer and the chain's {@code scale_by_muon} share.
     */
    public static boolean orthogonalized(Param p, boolean useMuon) {
        return p.shape().length >= 2 && useMuon && p.size() > 0;
    }

    /**
     * The momentum step b ← μb + g over {@code p}'s slice of {@code g} and {@code buf}, and the direction
     * (g + μb with Nesterov, else b) orthogonalized by {@link #orthogonalize}, as a new array of the parameter's
     * size (shape[0] × the rest). Shared with the chain's {@code scale_by_muon}.
     */
    public static float[] orthogonalizedMomentum(float[] g, float[] buf, Param p, float mu, boolean nesterov, int nsSteps) {
        int offset = p.offset();
        int rows = p.shape()[0];
        float[] d = new float[p.size()];
        for (int i = 0; i < d.length; i++) {
            float gi = g[offset + i];
            float b = Math.fma(buf[offset + i], mu, gi);
            buf[offset + i] = b;
            d[i] = nesterov ? Math.fma(b, mu, gi) : b;
        }
        return orthogonalize(d, rows, p.size() / rows, nsSteps);
    }

    /** θ ← θ (1 − γλ) − γ √max(1, rows/columns) o over {@code p}'s slice; shared with the chain's {@code scale_by_muon}. */
    public static Kernel land(Param p, float[] o, double lr, double weightDecay) {
        float[] w = p.store().data();
        int offset = p.offset();
        int rows = p.shape()[0];
        int cols = p.size() / rows;
        float shrink = (float) (1 - lr * weightDecay);
        float negStep = (float) (-lr * Math.sqrt(Math.max(1, (double) rows / cols)));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                w[i] = Math.fma(o[i - offset], negStep, w[i] * shrink);
            }
        };
    }

    /**
     * The quintic Newton-Schulz iteration on the {@code rows × cols} matrix {@code d} (row-major), normalized by
     * its Frobenius norm first; works on the wide orientation and returns a new array of the same shape.
     */
    public static float[] orthogonalize(float[] d, int rows, int cols, int steps) {
        boolean tall = rows > cols;
        int n = tall ? cols : rows;
        int m = tall ? rows : cols;
        double norm2 = 0;
        for (float x : d) {
            norm2 += (double) x * x;
        }
        float scale = (float) (1 / (Math.sqrt(norm2) + 1e-7));
        float[] x = tall ? transpose(d, rows, cols) : d.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= scale;
        }
        float[] a = new float[n * n];
        float[] aa = new float[n * n];
        float[] next = new float[n * m];
        for (int s = 0; s < steps; s++) {
            MatrixProduct.multiplySymmetric(x, transpose(x, n, m), a, n, m);
            MatrixProduct.multiplySymmetric(a, a, aa, n, n);
            for (int i = 0; i < aa.length; i++) {
                aa[i] = Math.fma(B, a[i], C * aa[i]);
            }
            MatrixProduct.multiply(aa, x, next, n, n, m);
            for (int i = 0; i < next.length; i++) {
                next[i] = Math.fma(A, x[i], next[i]);
            }
            float[] swap = x;
            x = next;
            next = swap;
        }
        return tall ? transpose(x, n, m) : x;
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private Kernel adamw(ParamGroup group, Param p, ParamState state) {
        double lr = adamwRate(group.real("adamw_lr"), group.lr(), initialLr[paramGroups().indexOf(group)]);
        return adamw(p.store().grad(), p.store().data(), state.buffer("exp_avg"), state.buffer("exp_avg_sq"), state.step(), lr,
                group.real("weight_decay"), group.real("adamw_betas", 0), group.real("adamw_betas", 1), group.real("adamw_eps"));
    }

    /** The AdamW part's learning rate γₐ = adamw_lr · γ/γ₀ (adamw_lr when γ₀ is 0); shared with the chain's {@code scale_by_muon}. */
    public static double adamwRate(double adamwLr, double lr, double initialLr) {
        return adamwLr * (initialLr > 0 ? lr / initialLr : 1);
    }

    /**
     * The AdamW part's step at step {@code t} with learning rate {@code lr}, over gradient {@code g}, weights
     * {@code w} and moments {@code m}, {@code v} (ε on the uncorrected √v); shared with the chain's {@code scale_by_muon}.
     */
    public static Kernel adamw(float[] g, float[] w, float[] m, float[] v, long t, double lr, double weightDecay,
                               double beta1, double beta2, double adamwEps) {
        float shrink = (float) (1 - lr * weightDecay);
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) adamwEps;
        float negStep = (float) (-lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float mi = Math.fma(gi, rest1, m[i] * b1);
                float vi = Math.fma(rest2 * gi, gi, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                w[i] = Math.fma(negStep, mi / ((float) Math.sqrt(vi) + eps), w[i] * shrink);
            }
        };
    }

    @Override
    protected Map<String, Object> groupState(int index) {
        return Map.of("initial_lr", initialLr[index]);
    }

    @Override
    protected void restoreGroupState(int index, Map<String, Object> saved) {
        initialLr[index] = ((Number) saved.get("initial_lr")).doubleValue();
    }
}
