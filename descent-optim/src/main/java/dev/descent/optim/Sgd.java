package dev.descent.optim;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stochastic gradient descent with optional momentum, dampening and Nesterov momentum, as PyTorch's
 * {@code torch.optim.SGD}.
 *
 * <pre>
 *   g ← ±∇ + λθ                          (− when maximize; λ = weight_decay)
 *   b ← g                       at the first step (no dampening)
 *   b ← μ b + (1 − τ) g         afterwards        (μ = momentum, τ = dampening)
 *   d ← g + μ b if nesterov, else b   (d = g when μ = 0)
 *   θ ← θ − γ d
 * </pre>
 * Momentum as in Polyak (1964), "Some methods of speeding up the convergence of iteration methods";
 * the Nesterov form as in Sutskever et al. (2013), "On the importance of initialization and momentum in
 * deep learning", ICML. State: {@code momentum_buffer} when μ ≠ 0.
 */
public final class Sgd extends Optimizer {
    /** The description: {@code lr} is required, as in PyTorch. */
    public static final Algorithm ALGORITHM = Algorithm.of("sgd", List.of(
            Hyperparameter.requiredReal("lr", x -> x >= 0, "must be >= 0"),
            Hyperparameter.nonNegative("momentum", 0),
            Hyperparameter.real("dampening", 0, x -> true, ""),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("nesterov", false),
            Hyperparameter.flag("maximize", false)),
            nesterovRule("sgd"), Sgd::new);

    /** Builds SGD over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Sgd(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    /**
     * The cross-check of heavy-ball momentum, for SGD and the algorithms that share its momentum ({@code lars},
     * {@code trace}): nesterov=true requires momentum &gt; 0 and dampening=0; {@code name} starts the message.
     */
    public static Consumer<Map<String, Object>> nesterovRule(String name) {
        return v -> {
            if ((Boolean) v.get("nesterov") && ((Double) v.get("momentum") <= 0 || (Double) v.get("dampening") != 0)) {
                throw new IllegalArgumentException(name + ": nesterov=true requires momentum > 0 and dampening=0, but momentum="
                        + Hyperparameter.render(v.get("momentum")) + " and dampening=" + Hyperparameter.render(v.get("dampening")));
            }
        };
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float sign = group.flag("maximize") ? -1f : 1f;
        float decay = (float) group.real("weight_decay");
        float negLr = (float) -group.lr();
        if (group.real("momentum") == 0) {
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = Math.fma(w[i], decay, sign * grad[i]);
                    w[i] = Math.fma(g, negLr, w[i]);
                }
            };
        }
        // The first step copies the gradient into the buffer, undamped: b = 0·0 + 1·g.
        boolean first = !state.has("momentum_buffer");
        float[] b = state.buffer("momentum_buffer");
        float mu = (float) group.real("momentum");
        float decayB = first ? 0f : mu;
        float keep = first ? 1f : (float) (1 - group.real("dampening"));
        boolean nesterov = group.flag("nesterov");
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, sign * grad[i]);
                float bi = Math.fma(g, keep, b[i] * decayB);
                b[i] = bi;
                w[i] = Math.fma(nesterov ? Math.fma(bi, mu, g) : bi, negLr, w[i]);
            }
        };
    }
}
