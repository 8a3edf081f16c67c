package dev.descent.optim.transform;

import dev.descent.optim.Algorithm;
import dev.descent.optim.Hyperparameter;
import dev.descent.optim.NonFinitePolicy;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Param;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamState;
import dev.descent.optim.ParamStore;
import dev.descent.optim.spec.Spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer made of gradient transformations, Optax-style: {@code chain(t1, t2, ...)} copies each
 * parameter's gradient into an update vector u, lets each transform rewrite u in turn, and adds u to the
 * parameter. With this convention a descent step ends in {@code scale_by_learning_rate(lr)} (u ← −γu) or
 * {@code scale(-0.001)}:
 *
 * <pre>
 *   u ← ∇;   u ← t_k(u) for k = 1..n;   θ ← θ + u
 *
 *   adam(lr=1e-3)  =  chain(scale_by_adam(), scale_by_learning_rate(1e-3))
 *   Optimizers.parse("chain(clip_by_global_norm(1.0), scale_by_adam(betas=(0.9, 0.999)), trace(momentum=0.5), scale(-0.001))")
 * </pre>
 *
 * <p><b>Hyperparameters</b> are the transforms' own, held per parameter group like any optimizer's: a chain's
 * group has the key {@code lr} of its {@code scale_by_learning_rate} (so {@link #lr()}, {@link #setLr} and the
 * schedules work), {@code weight_decay}, {@code betas}, {@code momentum}, and so on. A key two transforms of the
 * chain share is qualified by the transform ({@code scale_by_adam.eps}, {@code scale_by_rms.eps}), and by its
 * occurrence when a transform appears twice ({@code trace1.momentum}, {@code trace2.momentum}). State is kept per
 * parameter under the same labels ({@code scale_by_adam.exp_avg}), with the parameter's {@code step} counting
 * the steps it took, and {@link #stateDict()} saves both.
 *
 * <p><b>Arithmetic.</b> Each transform computes as the fused optimizer it comes from, so that a fused optimizer
 * and its chain agree bit for bit. The one rearrangement is the final scalar: the run of scalings at the end of
 * the chain is folded into one factor c (in double, as the fused optimizers compute their step size) and never
 * takes a pass of its own. When a {@link Preconditioner} ({@code scale_by_adam}, {@code scale_by_rms},
 * {@code scale_by_lion}, ...) comes right before that run, possibly followed by {@code add_decayed_weights}, c
 * goes into its numerator (u = c·m/d, as PyTorch's {@code addcdiv_}) and each such decay becomes the shrink
 * θ ← θ(1 + cλ) (AdamW's θ(1 − γλ)); otherwise the last pass is θ ← fma(u, c, θ), one rounding, as the fused
 * SGD does. Both are the same mathematics as scaling u first; only the rounding differs. A preconditioner whose
 * fused optimizer adds to θ twice (NAdam) lands its step itself ({@link Preconditioner#land}). A scaling that
 * reads the update ({@code scale_by_trust_ratio}) starts the run: it folds its factor once every transform
 * before it has finished (LAMB's θ ← fma(r, −γq, θ)).
 *
 * <p><b>Skipping.</b> A chain that starts with {@code apply_if_finite} skips a step whose gradients are not all
 * finite, keeping its count of such steps with group 0's state ({@link ApplyIfFinite}).
 *
 * <p><b>Passes.</b> All elementwise transforms of a parameter run in one pass over its slice, in blocks that
 * stay in cache, on the step threads. A transform that reads the whole update first ({@code clip_by_global_norm},
 * {@code centralize}, {@code scale_by_lars}, {@code scale_by_trust_ratio}) ends the pass; the chain then runs it
 * and the transforms after it in a further pass, on the calling thread. Parameters without a gradient are skipped, as by every optimizer.
 */
public final class Chain extends Optimizer {
    /** Elements per block: each transform runs over a block before the next one does, while it is in cache. */
    private static final int BLOCK = 2048;

    private final Layout layout;
    private final Map<ParamStore, float[]> updates = new IdentityHashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    /** Under apply_if_finite: the non-finite steps in a row, and in all. */
    private long notFiniteCount;
    private long totalNotFinite;

    private Chain(Layout layout, Map<String, Object> defaults, List<ParamGroup> groups) {
        super(layout.algorithm, defaults, groups);
        this.layout = layout;
    }

    /**
     * Reads {@code chain(t1, t2, ...)}: the hook registered in {@link dev.descent.optim.Optimizers} under
     * {@code chain}.
     *
     * @throws IllegalArgumentException for a chain without transforms, an argument that is not a transform spec,
     *                                  a key=value argument of chain itself, an unknown transform, key or bad value,
     *                                  or a {@code soft_threshold} that is not last or lacks a learning rate
     */
    public static OptimizerSpec spec(Spec spec) {
        if (!spec.named().isEmpty()) {
            String key = spec.named().keySet().iterator().next();
            throw new IllegalArgumentException("chain takes only transforms, as positional arguments, but got " + key + "="
                    + Spec.render(spec.named().get(key)) + "; give hyperparameters inside the transforms, e.g. "
                    + "chain(scale_by_adam(eps=1e-6), scale_by_learning_rate(lr=0.001))");
        }
        if (spec.positional().isEmpty()) {
            throw new IllegalArgumentException("chain needs at least one transform, e.g. chain(scale_by_adam(), "
                    + "scale_by_learning_rate(0.001)); transforms: " + String.join(", ", Transforms.names()));
        }
        List<Transform> transforms = new ArrayList<>();
        List<Map<String, Object>> values = new ArrayList<>();
        for (int i = 0; i < spec.positional().size(); i++) {
            Object arg = spec.positional().get(i);
            if (!(arg instanceof Spec)) {
                throw new IllegalArgumentException("chain: argument " + (i + 1) + " is " + Spec.render(arg)
                        + ", not a transform; transforms: " + String.join(", ", Transforms.names()));
            }
            Transform t = Transforms.get(((Spec) arg).name());
            transforms.add(t);
            values.add(Transforms.values(t, (Spec) arg));
        }
        Layout layout = new Layout(transforms, values);
        return OptimizerSpec.composite("chain", layout.render(layout.defaults),
                rules -> rules.check(layout.algorithm, layout.defaults),
                groups -> layout.algorithm.create(layout.defaults, groups));
    }

    /** The transforms' names, in chain order. */
    public List<String> transforms() {
        List<String> names = new ArrayList<>();
        layout.transforms.forEach(t -> names.add(t.name()));
        return names;
    }

    @Override
    public void step() {
        if (layout.guard != null && !finiteOrOutOfPatience()) {
            return;
        }
        pending.clear();
        try {
            super.step();  // stage 0 of every parameter, through update() below
            for (int stage = 1; stage < layout.stageStarts.length; stage++) {
                runStage(stage);
            }
        } finally {
            pending.clear();
        }
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        Pending q = new Pending(group, p, state, updates.computeIfAbsent(p.store(), s -> new float[s.size()]));
        pending.add(q);
        float[] grad = p.store().grad();
        float[] u = q.u;
        List<Transform.Loop> loops = new ArrayList<>();
        loops.add((from, to) -> System.arraycopy(grad, from, u, from, to - from));
        loops.addAll(stageLoops(0, q, 0));
        return blocks(loops);
    }

    /** apply_if_finite: counts a non-finite step and says whether it goes ahead all the same. */
    private boolean finiteOrOutOfPatience() {
        boolean finite = true;
        for (ParamGroup g : paramGroups()) {
            for (Param p : g.params()) {
                finite &= !p.hasGrad() || NonFinitePolicy.allFinite(p.store().grad(), p.offset(), p.offset() + p.size());
            }
        }
        notFiniteCount = finite ? 0 : notFiniteCount + 1;
        totalNotFinite += finite ? 0 : 1;
        return finite || notFiniteCount > paramGroups().get(0).integer(layout.guard);
    }

    @Override
    protected Map<String, Object> groupState(int index) {
        return layout.guard == null || index > 0 ? Map.of()
                : Map.of("apply_if_finite.notfinite_count", notFiniteCount, "apply_if_finite.total_notfinite", totalNotFinite);
    }

    @Override
    protected void restoreGroupState(int index, Map<String, Object> saved) {
        if (!saved.isEmpty()) {
            notFiniteCount = ((Number) saved.get("apply_if_finite.notfinite_count")).longValue();
            totalNotFinite = ((Number) saved.get("apply_if_finite.total_notfinite")).longValue();
        }
    }

    /** Runs stage {@code k} (k ≥ 1), which starts with a transform that reads the update, over every parameter. */
    private void runStage(int k) {
        Transform first = layout.transforms.get(layout.stageStarts[k]);
        double total = 0;
        for (Pending q : pending) {
            total += first.measure(view(layout.stageStarts[k], q, 0));
        }
        List<Kernel> kernels = new ArrayList<>();
        for (Pending q : pending) {
            kernels.add(blocks(stageLoops(k, q, total)));
        }
        for (int i = 0; i < kernels.size(); i++) {
            Param p = pending.get(i).param;
            kernels.get(i).apply(p.offset(), p.offset() + p.size());
        }
    }

    /**
     * The loops of stage {@code k} for one parameter, and the final addition after the last stage (unless the
     * absorbing preconditioner lands the step itself); the tail is folded at the start of the last stage.
     */
    private List<Transform.Loop> stageLoops(int k, Pending q, double total) {
        boolean last = k == layout.stageStarts.length - 1;
        if (last) {
            foldTail(q);
        }
        List<Transform.Loop> loops = new ArrayList<>();
        int end = last ? layout.bodyEnd : layout.stageStarts[k + 1];
        Transform.Loop landing = null;
        for (int i = layout.stageStarts[k]; i < end; i++) {
            Transform t = layout.transforms.get(i);
            ParamStep s = view(i, q, i == layout.stageStarts[k] ? total : 0);
            if (i == layout.absorber) {
                Preconditioner absorber = (Preconditioner) t;
                landing = absorber.land(s, q.factor, q.shrink);
                loops.add(landing != null ? landing : absorber.update(s, q.factor));
            } else {
                loops.add(t.update(s));
            }
        }
        if (last && landing == null) {
            float[] w = q.param.store().data();
            float[] u = q.u;
            float c = q.applyFactor;
            float shrink = q.shrink;
            loops.add((from, to) -> {
                for (int i = from; i < to; i++) {
                    w[i] = Math.fma(u[i], c, w[i] * shrink);
                }
            });
        }
        return loops;
    }

    /** Folds the trailing scalings (and decoupled decays, when a preconditioner takes the factor) for one parameter. */
    private void foldTail(Pending q) {
        List<Transform> ts = layout.transforms;
        double c = 1.0;
        for (int i = ts.size() - 1; i >= layout.tailStart; i--) {
            c = ((Scaling) ts.get(i)).fold(c, view(i, q, 0));
        }
        if (layout.absorber < 0) {
            q.applyFactor = (float) c;
            return;
        }
        double shrink = 1.0;
        for (int i = layout.bodyEnd; i < layout.tailStart; i++) {
            shrink += c * ((AddDecayedWeights) ts.get(i)).coefficient(view(i, q, 0));
        }
        q.factor = c;
        q.applyFactor = 1f;
        q.shrink = (float) shrink;
    }

    /** What transform {@code i} sees of parameter {@code q}. */
    private ParamStep view(int i, Pending q, double total) {
        return new ParamStep(q.group, q.param, q.state, q.u, layout.labels.get(i), layout.keys.get(i), layout.lrKey, total);
    }

    private static Kernel blocks(List<Transform.Loop> list) {
        Transform.Loop[] loops = list.toArray(new Transform.Loop[0]);
        return (from, to) -> {
            for (int a = from; a < to; a += BLOCK) {
                int b = Math.min(to, a + BLOCK);
                for (Transform.Loop loop : loops) {
                    loop.apply(a, b);
                }
            }
        };
    }

    /** The chain with the values of group 0, as a spec that builds the same optimizer. */
    @Override
    public String toString() {
        return layout.render(paramGroups().get(0).values());
    }

    /** One parameter taking the step under way. */
    private static final class Pending {
        final ParamGroup group;
        final Param param;
        final ParamState state;
        final float[] u;
        double factor = 1.0;
        float applyFactor = 1f;
        float shrink = 1f;

        Pending(ParamGroup group, Param param, ParamState state, float[] u) {
            this.group = group;
            this.param = param;
            this.state = state;
            this.u = u;
        }
    }

    /** The shape of one chain: its transforms, their labels and keys, its passes and how its tail folds. */
    private static final class Layout {
        final List<Transform> transforms;
        final List<String> labels = new ArrayList<>();
        final List<Map<String, String>> keys = new ArrayList<>();
        final Map<String, Object> defaults = new LinkedHashMap<>();
        final String lrKey;
        /** The key of apply_if_finite's max_consecutive_errors, when the chain starts with it; else null. */
        final String guard;
        /** Transforms [0, bodyEnd) run as loops; the rest are folded. */
        final int bodyEnd;
        /**
         * Transforms [tailStart, n) are scalings folded into one factor. The tail starts at the last scaling that
         * reads the update (the trust ratio), if any: that one measures u once every earlier transform is done,
         * so the fold waits for the last pass, and no preconditioner can take the factor.
         */
        final int tailStart;
        /** The preconditioner that takes the folded factor, or -1. */
        final int absorber;
        /** Where each pass begins; pass 0 at 0, then each transform that reads the update. */
        final int[] stageStarts;
        final Algorithm algorithm;

        Layout(List<Transform> transforms, List<Map<String, Object>> values) {
            this.transforms = List.copyOf(transforms);
            int n = transforms.size();
            Map<String, Integer> nameCount = new HashMap<>();
            Map<String, Integer> keyCount = new HashMap<>();
            for (Transform t : transforms) {
                nameCount.merge(t.name(), 1, Integer::sum);
                t.hyperparameters().forEach(h -> keyCount.merge(h.name(), 1, Integer::sum));
            }
            Map<String, Integer> seen = new HashMap<>();
            List<Hyperparameter> declared = new ArrayList<>();
            String lr = null;
            int scalesByLr = 0;
            for (int i = 0; i < n; i++) {
                Transform t = transforms.get(i);
                int occurrence = seen.merge(t.name(), 1, Integer::sum);
                String label = nameCount.get(t.name()) == 1 ? t.name() : t.name() + occurrence;
                labels.add(label);
                Map<String, String> map = new LinkedHashMap<>();
                for (Hyperparameter h : t.hyperparameters()) {
                    String key = keyCount.get(h.name()) == 1 ? h.name() : label + "." + h.name();
                    map.put(h.name(), key);
                    declared.add(h.renamed(key));
                    defaults.put(key, values.get(i).get(h.name()));
                }
                keys.add(map);
                if (t instanceof ScaleByLearningRate) {
                    scalesByLr++;
                    lr = map.get("lr");
                }
            }
            this.lrKey = scalesByLr == 1 ? lr : null;
            for (int i = 1; i < n; i++) {
                if (transforms.get(i) instanceof ApplyIfFinite) {
                    throw new IllegalArgumentException("chain: apply_if_finite must be the first transform (it skips the whole "
                            + "step, which it cannot once a transform before it has changed its state), but it is transform "
                            + (i + 1) + " of " + n);
                }
            }
            this.guard = transforms.get(0) instanceof ApplyIfFinite ? keys.get(0).get("max_consecutive_errors") : null;
            for (int i = 0; i < n; i++) {
                if (transforms.get(i) instanceof SoftThreshold) {
                    if (i != n - 1) {
                        throw new IllegalArgumentException("chain: soft_threshold must be the last transform (it shrinks the "
                                + "point the step lands on), but it is transform " + (i + 1) + " of " + n);
                    }
                    if (lrKey == null) {
                        throw new IllegalArgumentException("chain: soft_threshold shrinks by lr·l1 and needs exactly one "
                                + "scale_by_learning_rate before it, but the chain has " + scalesByLr);
                    }
                }
            }
            int tail = n;
            boolean measured = false;
            while (tail > 0 && transforms.get(tail - 1) instanceof Scaling && !measured) {
                tail--;
                measured = transforms.get(tail).readsUpdate();
            }
            int decays = tail;
            while (decays > 0 && transforms.get(decays - 1) instanceof AddDecayedWeights) {
                decays--;
            }
            this.tailStart = tail;
            this.absorber = !measured && decays > 0 && transforms.get(decays - 1) instanceof Preconditioner ? decays - 1 : -1;
            this.bodyEnd = absorber >= 0 ? decays : tail;
            List<Integer> starts = new ArrayList<>(List.of(0));
            for (int i = 0; i < bodyEnd; i++) {
                if (transforms.get(i).readsUpdate()) {
                    starts.add(i);
                }
            }
            if (measured) {
                starts.add(tail);
            }
            this.stageStarts = starts.stream().mapToInt(Integer::intValue).toArray();
            this.algorithm = Algorithm.of("chain", declared, this::check, (d, groups) -> new Chain(this, d, groups));
        }

        /** Re-validates each transform's values, running its rules across values (trace's nesterov). */
        private void check(Map<String, Object> chainValues) {
            for (int i = 0; i < transforms.size(); i++) {
                transforms.get(i).resolve(plain(i, chainValues));
            }
        }

        /** Transform {@code i}'s values under its own keys. */
        private Map<String, Object> plain(int i, Map<String, ?> chainValues) {
            Map<String, Object> out = new LinkedHashMap<>();
            keys.get(i).forEach((name, key) -> out.put(name, chainValues.get(key)));
            return out;
        }

        /** {@code chain(t1(...), t2(...))} with the given values, which parses back to the same chain. */
        String render(Map<String, ?> chainValues) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < transforms.size(); i++) {
                parts.add(transforms.get(i).render(plain(i, chainValues)));
            }
            return "chain(" + String.join(", ", parts) + ")";
        }
    }
}
