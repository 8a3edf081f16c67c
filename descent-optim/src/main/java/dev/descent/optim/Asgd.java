package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * Averaged stochastic gradient descent, as PyTorch's {@code torch.optim.ASGD}: SGD with a decaying step
 * size and a running average of the iterates, which is the method's answer.
 *
 * <pre>
 *   g ← ±∇ + λ_wd θ
 *   θ ← θ (1 − λ η_t) − η_t g                (λ = lambd)
 *   θ̄ ← θ                                    while μ_t = 1
 *   θ̄ ← θ̄ + μ_t (θ − θ̄)                      afterwards
 *   η_{t+1} ← γ / (1 + λ γ t)^α,   μ_{t+1} ← 1 / max(1, t − t₀)
 * </pre>
 * η_1 is the learning rate when the state is created; later η and μ follow the current {@code lr}.
 * The average θ̄ does not feed back into θ: read it from the state as {@code ax}. η and μ are float32
 * scalars, as PyTorch keeps them (0-dimensional float tensors). Polyak and Juditsky (1992),
 * "Acceleration of Stochastic Approximation by Averaging", SIAM J. Control and Optimization 30(4); the
 * step-size schedule from Bottou (2012), "Stochastic Gradient Descent Tricks", Neural Networks: Tricks
 * of the Trade. State: {@code ax}, {@code eta}, {@code mu}, {@code step}.
 */
public final class Asgd extends Optimizer {
    /** The description, with PyTorch's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("asgd", List.of(
            Hyperparameter.nonNegative("lr", 1e-2),
            Hyperparameter.real("lambd", 1e-4, x -> true, ""),
            Hyperparameter.real("alpha", 0.75, x -> true, ""),
            Hyperparameter.real("t0", 1e6, x -> true, ""),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("maximize", false)),
            null, Asgd::new);

    /** Builds ASGD over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Asgd(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] ax = state.buffer("ax");
        double lr = group.lr();
        double lambd = group.real("lambd");
        long t = state.step();
        float eta = (float) state.scalar("eta", (float) lr);
        float mu = (float) state.scalar("mu", 1.0);
        state.setScalar("eta", nextEta(lr, lambd, group.real("alpha"), t));
        state.setScalar("mu", nextMu(group.real("t0"), t));
        float sign = group.flag("maximize") ? -1f : 1f;
        float decay = (float) group.real("weight_decay");
        return (from, to) -> step(grad, sign, decay, w, ax, from, to, eta, lambd, mu);
    }

    /** η_{t+1} = γ / (1 + λγt)^α, rounded to float32 as PyTorch keeps it; shared with the chain's {@code scale_by_asgd}. */
    public static double nextEta(double lr, double lambd, double alpha, long t) {
        return (float) (lr / Math.pow(1 + lambd * lr * t, alpha));
    }

    /** μ_{t+1} = 1 / max(1, t − t₀), rounded to float32; shared with the chain's {@code scale_by_asgd}. */
    public static double nextMu(double t0, long t) {
        return (float) (1 / Math.max(1, t - t0));
    }

    /**
     * The ASGD step over elements {@code [from, to)}: g = sign·grad + decay·θ, θ ← θ(1 − λη) − ηg, and the average
     * {@code ax} of the new θ with weight μ (a copy while μ = 1). The kernel this optimizer and the chain's
     * {@code scale_by_asgd} share (the chain passes its update with sign 1 and decay 0).
     */
    public static void step(float[] grad, float sign, float decay, float[] w, float[] ax, int from, int to, float eta,
                            double lambd, float mu) {
        float shrink = (float) (1 - lambd * eta);
        float negEta = -eta;
        if (mu == 1) {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, sign * grad[i]);
                float wi = Math.fma(g, negEta, w[i] * shrink);
                w[i] = wi;
                ax[i] = wi;
            }
            return;
        }
        for (int i = from; i < to; i++) {
            float g = Math.fma(w[i], decay, sign * grad[i]);
            float wi = Math.fma(g, negEta, w[i] * shrink);
            w[i] = wi;
            ax[i] += (wi - ax[i]) * mu;
        }
    }
}
