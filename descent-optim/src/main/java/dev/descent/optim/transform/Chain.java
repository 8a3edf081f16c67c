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
import dev.descent.optim.ScheduleFree;
import dev.descent.optim.TrainEvalSwitch;
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
 * before it has finished (LAMB's θ ← fma(r, −γq, θ)). Likewise a run of scalings right after a preconditioner
 * anywhere in the chain folds into that preconditioner's numerator (Adafactor's step size before its momentum).
 *
 * <p><b>Skipping.</b> A chain that starts with {@code apply_if_finite} skips a step whose gradients are not all
 * finite, keeping its count of such steps with group 0's state ({@link ApplyIfFinite}).
 *
 * <p><b>Passes.</b> All elementwise transforms of a parameter run in one pass over its slice, in blocks that
 * stay in cache, on the step threads. A transform that reads the whole update first ({@code clip_by_global_norm},
 * {@code centralize}, {@code scale_by_lars}, {@code scale_by_trust_ratio}) ends the pass; the chain then runs it
 * and the transforms after it in a further pass, on the calling thread. Parameters without a gradient are skipped, as by every optimizer.
 *
 * <p><b>Landing.</b> A preconditioner whose fused optimizer is more than an update added to θ ({@code scale_by_ftrl},
 * {@code scale_by_asgd}, {@code scale_by_muon}, {@code schedule_free}; {@link Preconditioner#mustLand()}) is accepted
 * only right before the final scalings, where it takes their folded factor as −(its learning rate) and lands the
 * step itself. A chain with {@code scale_by_muon} keeps each group's learning rate at construction
 * ({@code initial_lr}); one with {@code schedule_free} has the train/eval switch ({@link TrainEvalSwitch}) and
 * keeps each group's {@code train_mode}.
 */
public final class Chain extends Optimizer implements TrainEvalSwitch {
    /** Elements per block: each transform runs over a block before the next one does, while it is in cache. */
    private static final int BLOCK = 2048;

    private final Layout layout;
    private final Map<ParamStore, float[]> updates = new IdentityHashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    /** Under apply_if_finite: the non-finite steps in a row, and in all. */
    private long notFiniteCount;
    private long totalNotFinite;
    /** Each group's learning rate at construction, when a transform needs it (scale_by_muon); else null. */
    private final double[] initialLr;
    /** Each group's mode, when the chain has schedule_free (true: training, parameters hold y); else null. */
    private final boolean[] trainMode;

    private Chain(Layout layout, Map<String, Object> defaults, List<ParamGroup> groups) {
        super(layout.algorithm, defaults, groups);
        this.layout = layout;
        this.initialLr = layout.keepsInitialLr ? paramGroups().stream().mapToDouble(g -> g.real(layout.lrKey)).toArray() : null;
        this.trainMode = layout.scheduleFree >= 0 ? new boolean[paramGroups().size()] : null;
        if (trainMode != null) {
            java.util.Arrays.fill(trainMode, true);
        }
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
        requireTraining();
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

    /** Evaluates {@code closure} and takes one step; with {@code schedule_free} in eval mode, refuses before evaluating. */
    @Override
    public double step(Closure closure) {
        requireTraining();
        return super.step(closure);
    }

    private void requireTraining() {
        if (!isTraining()) {
            throw new IllegalStateException("chain: step() was called in eval mode; call train() before training steps "
                    + "and eval() before evaluating or saving");
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
        Map<String, Object> out = new LinkedHashMap<>();
        if (layout.guard != null && index == 0) {
            out.put("apply_if_finite.notfinite_count", notFiniteCount);
            out.put("apply_if_finite.total_notfinite", totalNotFinite);
        }
        if (initialLr != null) {
            out.put("initial_lr", initialLr[index]);
        }
        if (trainMode != null) {
            out.put("train_mode", trainMode[index]);
        }
        return out;
    }

    @Override
    protected void restoreGroupState(int index, Map<String, Object> saved) {
        if (saved.containsKey("apply_if_finite.notfinite_count")) {
            notFiniteCount = ((Number) saved.get("apply_if_finite.notfinite_count")).longValue();
            totalNotFinite = ((Number) saved.get("apply_if_finite.total_notfinite")).longValue();
        }
        if (initialLr != null) {
            initialLr[index] = ((Number) saved.get("initial_lr")).doubleValue();
        }
        if (trainMode != null) {
            trainMode[index] = (Boolean) saved.get("train_mode");
        }
    }

    @Override
    protected int vectorLength(Param p, String name) {
        for (int i = 0; i < layout.transforms.size(); i++) {
            String prefix = layout.labels.get(i) + ".";
            if (name.startsWith(prefix)) {
                return layout.transforms.get(i).vectorLength(p, name.substring(prefix.length()));
            }
        }
        return -1;
    }

    /** Whether every group is training; always true for a chain without {@code schedule_free}. */
    @Override
    public boolean isTraining() {
        if (trainMode != null) {
            for (boolean t : trainMode) {
                if (!t) {
                    return false;
                }
            }
        }
        return true;
    }

    /** With {@code schedule_free}: every parameter that has stepped moves from x back to y; otherwise nothing happens. */
    @Override
    public void train() {
        swap(true);
    }

    /**
     * With {@code schedule_free}: every parameter that has stepped moves from y to the averaged point x, the one to
     * evaluate, test and save; otherwise nothing happens.
     */
    @Override
    public void eval() {
        swap(false);
    }

    private void swap(boolean toTrain) {
        if (trainMode == null) {
            return;
        }
        int sf = layout.scheduleFree;
        String z = layout.labels.get(sf) + ".z";
        String b1 = layout.keys.get(sf).get("b1");
        List<ParamGroup> groups = paramGroups();
        for (int gi = 0; gi < groups.size(); gi++) {
            if (trainMode[gi] != toTrain) {
                for (Param p : groups.get(gi).params()) {
                    ParamState s = existingState(p);
                    if (s != null && s.has(z)) {
                        ScheduleFree.move(p, s.buffer(z), groups.get(gi).real(b1), toTrain);
                    }
                }
                trainMode[gi] = toTrain;
            }
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
                landing = absorber.land(s, q.factor, q.decay, q.shrink);
                loops.add(landing != null ? landing : absorber.update(s, q.factor));
            } else if (layout.foldEnd[i] > i + 1) {
                double c = 1.0;
                for (int j = layout.foldEnd[i] - 1; j > i; j--) {
                    c = ((Scaling) layout.transforms.get(j)).fold(c, view(j, q, 0));
                }
                loops.add(((Preconditioner) t).update(s, c));
                i = layout.foldEnd[i] - 1;
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
        double decay = 0;
        for (int i = layout.bodyEnd; i < layout.tailStart; i++) {
            double lambda = ((AddDecayedWeights) ts.get(i)).coefficient(view(i, q, 0));
            shrink += c * lambda;
            decay += lambda;
        }
        q.factor = c;
        q.decay = decay;
        q.applyFactor = 1f;
        q.shrink = (float) shrink;
    }

    /** What transform {@code i} sees of parameter {@code q}. */
    private ParamStep view(int i, Pending q, double total) {
        int groupIndex = initialLr == null ? -1 : paramGroups().indexOf(q.group);
        return new ParamStep(q.group, q.param, q.state, q.u, layout.labels.get(i), layout.keys.get(i), layout.lrKey, total,
                initialLr == null ? null : () -> initialLr[groupIndex]);
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
        double decay;
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
        /**
         * For a preconditioner inside the body followed by scalings (that do not read the update) and then by
         * another transform: one past those scalings, which fold into its numerator as the tail folds into the
         * absorber's (Adafactor's step size before its momentum); else i + 1.
         */
        final int[] foldEnd;
        /** Whether the chain keeps each group's initial learning rate (for scale_by_muon). */
        final boolean keepsInitialLr;
        /** The index of schedule_free, or -1. */
        final int scheduleFree;
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
            for (int i = 0; i < n; i++) {
                if (transforms.get(i) instanceof Preconditioner pre && pre.mustLand()
                        && (i != absorber || tail == n || (!pre.takesDecay() && decays != tail))) {
                    throw new IllegalArgumentException("chain: " + pre.name() + " lands the step itself and takes its learning "
                            + "rate from the scalings after it, so it must be followed by scalings only"
                            + (pre.takesDecay() ? " (add_decayed_weights between them is allowed)" : "") + ", e.g. chain("
                            + pre.name() + "(), scale_by_learning_rate(0.01)), but it is transform " + (i + 1) + " of " + n
                            + (i + 1 < n ? ", followed by " + transforms.get(i + 1).name() : ", the last"));
                }
            }
            this.foldEnd = new int[n];
            for (int i = 0; i < n; i++) {
                int j = i + 1;
                if (i < bodyEnd && i != absorber && transforms.get(i) instanceof Preconditioner) {
                    while (j < bodyEnd && transforms.get(j) instanceof Scaling && !transforms.get(j).readsUpdate()) {
                        j++;
                    }
                }
                foldEnd[i] = j;
            }
            int muon = -1;
            int sf = -1;
            for (int i = 0; i < n; i++) {
                muon = transforms.get(i) instanceof ScaleByMuon ? i : muon;
                sf = transforms.get(i) instanceof ScheduleFreeTransform ? i : sf;
            }
            if (muon >= 0 && lrKey == null) {
                throw new IllegalArgumentException("chain: scale_by_muon scales its AdamW part by lr/initial lr and needs exactly "
                        + "one scale_by_learning_rate after it, but the chain has " + scalesByLr);
            }
            this.keepsInitialLr = muon >= 0;
            this.scheduleFree = sf;
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
