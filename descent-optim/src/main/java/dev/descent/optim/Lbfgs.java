package dev.descent.optim;

import dev.descent.optim.spec.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * L-BFGS, as PyTorch 1.13's {@code torch.optim.LBFGS}: a quasi-Newton method that keeps the last
 * {@code history_size} pairs of steps and gradient changes and re-evaluates the loss through a closure,
 * up to {@code max_iter} times per {@link #step(Closure)}.
 *
 * <pre>
 *   yₖ = gₖ − gₖ₋₁,  sₖ = tₖ₋₁ dₖ₋₁,  ρₖ = 1 / (yₖ·sₖ)          (kept only when yₖ·sₖ &gt; 1e-10)
 *   dₖ = −Hₖ gₖ   by the two-loop recursion over the kept pairs, H⁰ = (y·s)/(y·y) of the newest pair
 *   t  = min(1, 1/‖g₀‖₁) · lr on the first iteration ever, lr after;
 *        with line_search_fn="strong_wolfe", t satisfies the strong Wolfe conditions
 *        (c₁ = 1e-4, c₂ = 0.9, at most 25 evaluations, cubic interpolation)
 *   θ ← θ + t dₖ
 * </pre>
 * Stops a step after {@code max_iter} iterations or {@code max_eval} evaluations, when
 * {@code max|g| <= tolerance_grad}, or when the step or the change of loss falls below
 * {@code tolerance_change}. Liu and Nocedal (1989), "On the limited memory BFGS method for large scale
 * optimization", Mathematical Programming 45; the line search from Nocedal and Wright (2006), "Numerical
 * Optimization", algorithms 3.5 and 3.6, as minFunc and torch/optim (lswolfe.lua) implement it.
 *
 * <p>PyTorch's defaults, which differ from its docstring: {@code tolerance_grad=1e-7} (the docstring says
 * 1e-5) and {@code max_eval=max_iter * 5 // 4}, so 25 for the default {@code max_iter=20}; {@code max_eval}
 * is fixed when the optimizer is built, as in PyTorch. There is one parameter group only. The flat vectors
 * run over every parameter in order, a parameter without a gradient counting as zeros. State (saved as
 * PyTorch names it, on parameter 0 for the scalars and sliced per parameter for the vectors):
 * {@code func_evals}, {@code n_iter}, {@code t}, {@code H_diag}, {@code prev_loss}, {@code ro.i}, and
 * {@code d}, {@code prev_flat_grad}, {@code old_dirs.i}, {@code old_stps.i} (oldest first).
 * A {@link NonFinitePolicy} other than PROPAGATE checks the gradient of every evaluation; skipping or
 * stopping puts the parameters and the state back where the step began.
 * Arithmetic follows PyTorch's float32 kernels (see {@link LbfgsSearch}); dot products match PyTorch's
 * to the bit for up to about 17 elements, beyond which OpenBLAS sums in another order.
 */
public final class Lbfgs extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("lbfgs", List.of(
            Hyperparameter.nonNegative("lr", 1),
            Hyperparameter.integer("max_iter", 20, 1),
            Hyperparameter.integerOrNone("max_eval", 1),
            Hyperparameter.nonNegative("tolerance_grad", 1e-7),
            Hyperparameter.nonNegative("tolerance_change", 1e-9),
            Hyperparameter.integer("history_size", 100, 1),
            Hyperparameter.choice("line_search_fn", null, "strong_wolfe")),
            Lbfgs::defaultMaxEval, Lbfgs::new);

    private final List<Param> params;
    private final int numel;
    private final LbfgsSearch<float[]> search = new LbfgsSearch<>(LbfgsSearch.FLOAT32);

    /** Builds L-BFGS over one group; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Lbfgs(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
        if (groups.size() != 1) {
            throw new IllegalArgumentException("lbfgs: got " + groups.size() + " parameter groups, but L-BFGS supports"
                    + " one only (PyTorch's LBFGS has no per-parameter options)");
        }
        params = paramGroups().get(0).params();
        int n = 0;
        for (Param p : params) {
            n = Math.addExact(n, p.size());
        }
        numel = n;
    }

    /** PyTorch fills {@code max_eval=None} with {@code max_iter * 5 // 4} at construction. */
    private static void defaultMaxEval(Map<String, Object> values) {
        if (values.get("max_eval") == Spec.NONE) {
            values.put("max_eval", (Long) values.get("max_iter") * 5 / 4);
        }
    }

    /** Always fails: L-BFGS evaluates the loss several times per step, so it needs {@link #step(Closure)}. */
    @Override
    public void step() {
        throw new IllegalStateException("lbfgs re-evaluates the loss and gradients several times per step: call step(closure)"
                + " with a closure that zeroes the gradients, computes the loss, writes the gradients and returns the loss");
    }

    /** Runs up to {@code max_iter} L-BFGS iterations, evaluating {@code closure} as needed; returns the loss at the start. */
    @Override
    public double step(Closure closure) {
        Objects.requireNonNull(closure, "lbfgs needs a closure");
        ParamGroup g = paramGroups().get(0);
        LbfgsSearch.Settings settings = new LbfgsSearch.Settings(g.lr(), g.integer("max_iter"), g.integer("max_eval"),
                g.real("tolerance_grad"), g.real("tolerance_change"), g.integer("history_size"),
                g.word("line_search_fn") != null);
        Flat flat = new Flat(closure);
        if (nonFinitePolicy() == NonFinitePolicy.PROPAGATE) {
            return search.step(flat, settings);
        }
        float[] start = flat.point();
        LbfgsSearch<float[]> before = search.snapshot();
        try {
            return search.step(flat, settings);
        } catch (SkipStep | ArithmeticException e) {
            flat.setPoint(start);
            search.restore(before);
            if (e instanceof ArithmeticException) {
                throw e;
            }
            return flat.firstLoss;
        }
    }

    /** Thrown inside a step when a gradient is not finite and the policy is to skip the step. */
    private static final class SkipStep extends RuntimeException {
        SkipStep() {
            super(null, null, false, false);
        }
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        throw new UnsupportedOperationException("lbfgs has no elementwise update");
    }

    /** The parameters seen as one flat vector, in group order. */
    private final class Flat implements LbfgsSearch.Objective<float[]> {
        private final Closure closure;
        private double firstLoss;
        private boolean evaluated;

        Flat(Closure closure) {
            this.closure = closure;
        }

        @Override
        public double evaluate() {
            double loss = closure.evaluate();
            if (!evaluated) {
                firstLoss = loss;
                evaluated = true;
            }
            return loss;
        }

        @Override
        public float[] gradient() {
            float[] g = new float[numel];
            int k = 0;
            for (Param p : params) {
                if (p.hasGrad()) {
                    System.arraycopy(p.store().grad(), p.offset(), g, k, p.size());
                    if (nonFinitePolicy() != NonFinitePolicy.PROPAGATE && !nonFiniteAllowed(g, k, k + p.size(), p, 0)) {
                        throw new SkipStep();
                    }
                }
                k += p.size();
            }
            return g;
        }

        @Override
        public void move(double t, float[] d) {
            float a = (float) t;
            int k = 0;
            for (Param p : params) {
                float[] w = p.store().data();
                for (int i = p.offset(), end = i + p.size(); i < end; i++, k++) {
                    w[i] = Math.fma(d[k], a, w[i]);
                }
            }
        }

        @Override
        public float[] point() {
            float[] x = new float[numel];
            int k = 0;
            for (Param p : params) {
                System.arraycopy(p.store().data(), p.offset(), x, k, p.size());
                k += p.size();
            }
            return x;
        }

        @Override
        public void setPoint(float[] x) {
            int k = 0;
            for (Param p : params) {
                System.arraycopy(x, k, p.store().data(), p.offset(), p.size());
                k += p.size();
            }
        }
    }

    /**
     * Hyperparameters, the state of the attachments (as {@link Optimizer#stateDict()} saves them) and the L-BFGS
     * state: scalars on parameter 0, each flat vector sliced per parameter.
     */
    @Override
    public StateDict stateDict() {
        StateDict groups = super.stateDict();
        Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        if (search.started()) {
            Map<String, Object> scalars = new LinkedHashMap<>();
            scalars.put("func_evals", search.funcEvals);
            scalars.put("n_iter", search.nIter);
            if (search.d != null) {
                scalars.put("t", search.t.v());
                scalars.put("H_diag", search.hDiag.v());
                scalars.put("prev_loss", search.prevLoss);
                for (int i = 0; i < search.ro.size(); i++) {
                    scalars.put("ro." + i, search.ro.get(i).v());
                }
            }
            for (int j = 0, k = 0; j < params.size(); k += params.get(j).size(), j++) {
                Map<String, Object> s = j == 0 ? scalars : new LinkedHashMap<>();
                if (search.d != null) {
                    int from = k;
                    int to = k + params.get(j).size();
                    s.put("d", Arrays.copyOfRange(search.d, from, to));
                    s.put("prev_flat_grad", Arrays.copyOfRange(search.prevFlatGrad, from, to));
                    for (int i = 0; i < search.oldDirs.size(); i++) {
                        s.put("old_dirs." + i, Arrays.copyOfRange(search.oldDirs.get(i), from, to));
                        s.put("old_stps." + i, Arrays.copyOfRange(search.oldStps.get(i), from, to));
                    }
                }
                if (!s.isEmpty()) {
                    state.put(j, s);
                }
            }
        }
        return new StateDict(groups.paramGroups(), state, groups.attachments());
    }

    /**
     * Restores what {@link #stateDict()} wrote, attachments included (attach the same ones before loading); the
     * snapshot must come from L-BFGS over parameters of the same sizes.
     */
    @Override
    public void loadStateDict(StateDict dict) {
        Map<Integer, Map<String, Object>> state = dict.state();
        for (Map.Entry<Integer, Map<String, Object>> e : state.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= params.size()) {
                throw new IllegalArgumentException("lbfgs: the state dict has state for parameter " + e.getKey()
                        + " but this optimizer has parameters 0.." + (params.size() - 1));
            }
            ParamState.check(params.get(e.getKey()), e.getValue(), name -> -1);
        }
        Map<String, Object> first = state.getOrDefault(0, Map.of());
        boolean started = first.containsKey("func_evals");
        boolean hasDirection = first.containsKey("t");
        int history = 0;
        while (first.containsKey("ro." + history)) {
            history++;
        }
        List<String> vectors = new ArrayList<>();
        List<String> scalars = new ArrayList<>(List.of("func_evals", "n_iter"));
        if (hasDirection) {
            vectors.addAll(List.of("d", "prev_flat_grad"));
            scalars.addAll(List.of("t", "H_diag", "prev_loss"));
            for (int i = 0; i < history; i++) {
                vectors.add("old_dirs." + i);
                vectors.add("old_stps." + i);
                scalars.add("ro." + i);
            }
        }
        for (int j = 0; j < params.size(); j++) {
            Map<String, Object> s = state.getOrDefault(j, Map.of());
            List<String> expected = new ArrayList<>(started ? vectors : List.of());
            if (j == 0 && started) {
                expected.addAll(scalars);
            }
            if (!s.keySet().equals(new HashSet<>(expected))) {
                throw new IllegalArgumentException("lbfgs: state of parameter " + j + " ('" + params.get(j).name() + "') holds "
                        + s.keySet() + " but an L-BFGS snapshot holds " + expected);
            }
        }
        super.loadStateDict(new StateDict(dict.paramGroups(), Map.of(), dict.attachments()));
        search.funcEvals = started ? ((Number) first.get("func_evals")).longValue() : 0;
        search.nIter = started ? ((Number) first.get("n_iter")).longValue() : 0;
        search.d = null;
        search.prevFlatGrad = null;
        search.oldDirs = null;
        search.oldStps = null;
        search.ro = null;
        search.t = null;
        search.hDiag = null;
        search.prevLoss = Double.NaN;
        if (started && hasDirection) {
            search.d = gather(state, "d");
            search.prevFlatGrad = gather(state, "prev_flat_grad");
            search.t = new LbfgsSearch.Num(((Number) first.get("t")).doubleValue(), true);
            search.hDiag = new LbfgsSearch.Num(((Number) first.get("H_diag")).doubleValue(), true);
            search.prevLoss = ((Number) first.get("prev_loss")).doubleValue();
            search.oldDirs = new ArrayList<>();
            search.oldStps = new ArrayList<>();
            search.ro = new ArrayList<>();
            for (int i = 0; i < history; i++) {
                search.oldDirs.add(gather(state, "old_dirs." + i));
                search.oldStps.add(gather(state, "old_stps." + i));
                search.ro.add(new LbfgsSearch.Num(((Number) first.get("ro." + i)).doubleValue(), true));
            }
        }
    }

    private float[] gather(Map<Integer, Map<String, Object>> state, String key) {
        float[] flat = new float[numel];
        for (int j = 0, k = 0; j < params.size(); k += params.get(j).size(), j++) {
            float[] slice = (float[]) state.get(j).get(key);
            System.arraycopy(slice, 0, flat, k, slice.length);
        }
        return flat;
    }
}
