package dev.descent.optim;

import dev.descent.optim.spec.Spec;

import java.util.List;
import java.util.Map;

/**
 * Stochastic weight averaging: after {@code swa_start} steps, the learning rate anneals to {@code swa_lr} as
 * PyTorch's {@code SWALR} does, and the weights after each step (every {@code swa_freq}-th) enter an equally
 * weighted running average, to evaluate with.
 *
 * <pre>
 *   steps 1 .. s:        θ ← inner step of θ                 (s = swa_start; the lr is left alone)
 *   step s + 1 + j:      γ ← swa_lr · a(τ) + γ₀ · (1 − a(τ)),  τ = min(1, j / max(1, A))   (A = anneal_steps)
 *                        θ ← inner step of θ
 *                        θ̄ ← θ̄ + (θ − θ̄) / (n + 1);  n ← n + 1     (θ̄ ← θ when n = 0; every swa_freq-th step)
 *   a(τ) = (1 − cos πτ) / 2 for anneal_strategy=cos, τ for linear
 * </pre>
 * γ₀ is the learning rate when the averaging starts. Izmailov, Podoprikhin, Garipov, Vetrov and Wilson (2018),
 * "Averaging Weights Leads to Wider Optima and Better Generalization", UAI, arXiv:1803.05407. The learning
 * rate follows PyTorch 1.13's {@code torch.optim.swa_utils.SWALR} step for step (its chainable form, which
 * recovers γ₀ from the current rate; with {@code anneal_steps=0} it is {@code swa_lr} at once), counting
 * optimizer steps where PyTorch's examples count epochs; the average is its {@code AveragedModel}'s. PyTorch's
 * name {@code anneal_epochs} is accepted for {@code anneal_steps}. During averaging the wrapper sets the
 * learning rate of every group before each step, so another schedule would be overridden. Batch-norm
 * statistics are not recomputed here ({@code update_bn}). Spec:
 * {@code swa(sgd(lr=0.1, momentum=0.9), swa_start=1000, swa_lr=0.05, anneal_steps=10, anneal_strategy=cos)}.
 * State: {@code average}, {@code n_averaged}, {@code step} per parameter; the number of steps taken.
 */
public final class Swa extends WeightAveraging {
    private static final String EXAMPLE = "swa(sgd(lr=0.1, momentum=0.9), swa_start=1000, swa_lr=0.05)";
    private static final List<String> STRATEGIES = List.of("cos", "linear");
    /** The settings, with SWALR's defaults; anneal_strategy (cos or linear) is a separate choice. */
    public static final Algorithm ALGORITHM = describe("swa", List.of(
            count("swa_start", null, 0),
            Hyperparameter.requiredReal("swa_lr", x -> x >= 0, "must be >= 0"),
            count("anneal_steps", 10L, 0),
            count("swa_freq", 1L, 1)), EXAMPLE);

    private String annealStrategy;
    /** The number of steps taken. */
    private long steps;

    /**
     * Wraps {@code inner}; {@code settings} must be complete values from {@link #ALGORITHM}.
     *
     * @param annealStrategy {@code cos} or {@code linear}
     */
    public Swa(Optimizer inner, Map<String, Object> settings, String annealStrategy) {
        super(ALGORITHM, settings, inner);
        this.annealStrategy = checkStrategy(annealStrategy);
    }

    /** Wraps {@code inner} with SWALR's defaults: cosine annealing over 10 steps, averaging every step. */
    public Swa(Optimizer inner, long swaStart, double swaLr) {
        this(inner, ALGORITHM.resolve(null, Map.of("swa_start", swaStart, "swa_lr", swaLr)), "cos");
    }

    /** Reads {@code swa(inner, swa_start=..., swa_lr=..., anneal_steps=..., anneal_strategy=..., swa_freq=...)}. */
    static OptimizerSpec spec(Spec spec) {
        return spec(spec, ALGORITHM, EXAMPLE, Map.of("anneal_strategy", STRATEGIES), Map.of("anneal_epochs", "anneal_steps"),
                (inner, settings, choices) -> new Swa(inner, settings, choices.get("anneal_strategy")));
    }

    private static String checkStrategy(Object strategy) {
        if (!STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("swa: anneal_strategy=" + strategy + " is invalid: must be one of cos, linear");
        }
        return (String) strategy;
    }

    /** The number of steps taken. */
    public long steps() {
        return steps;
    }

    /** Sets every group's learning rate to SWALR's value once the averaging has started. */
    @Override
    protected void beforeStep() {
        long start = (long) settings().real("swa_start");
        if (steps >= start) {
            for (ParamGroup g : paramGroups()) {
                g.setLr(swaLr(steps - start, g.lr()));
            }
        }
        steps++;
    }

    /** PyTorch 1.13's {@code SWALR.get_lr()} after {@code k} scheduler steps, from the rate {@code lr} in effect. */
    private double swaLr(long k, double lr) {
        double swaLr = settings().real("swa_lr");
        long anneal = (long) settings().real("anneal_steps");
        long step = anneal == 0 ? Math.max(1, k) : k;
        double prevAlpha = anneal(Math.max(0, Math.min(1, (double) (step - 1) / Math.max(1, anneal))));
        double initial = prevAlpha == 1 ? swaLr : (lr - prevAlpha * swaLr) / (1 - prevAlpha);
        double alpha = anneal(Math.max(0, Math.min(1, (double) step / Math.max(1, anneal))));
        return swaLr * alpha + initial * (1 - alpha);
    }

    private double anneal(double t) {
        return annealStrategy.equals("cos") ? (1 - Math.cos(Math.PI * t)) / 2 : t;
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        long start = (long) group.real("swa_start");
        long t = state.step();
        if (t <= start || (t - start - 1) % (long) group.real("swa_freq") != 0) {
            return (from, to) -> { };
        }
        float[] w = p.store().data();
        double n = state.scalar("n_averaged", 0);
        float[] avg = state.buffer("average");
        state.setScalar("n_averaged", n + 1);
        if (n == 0) {
            return (from, to) -> System.arraycopy(w, from, avg, from, to - from);
        }
        float count = (float) (n + 1);
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                avg[i] += (w[i] - avg[i]) / count;
            }
        };
    }

    @Override
    protected Map<String, String> choices() {
        return Map.of("anneal_strategy", annealStrategy);
    }

    @Override
    protected void saveWrapperState(Map<String, Object> out) {
        out.put("steps", steps);
    }

    @Override
    protected void loadWrapperState(Map<String, Object> saved) {
        String strategy = checkStrategy(saved.get("anneal_strategy"));
        Object k = saved.get("steps");
        if (!(k instanceof Long) || (Long) k < 0) {
            throw new IllegalArgumentException("swa: the state dict's swa.steps=" + k + " is invalid: must be a count >= 0");
        }
        annealStrategy = strategy;
        steps = (Long) k;
    }

    @Override
    protected String whenAveraged() {
        return "averaging starts after swa_start=" + (long) settings().real("swa_start") + " steps";
    }
}
