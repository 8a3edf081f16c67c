package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * LARS (Layer-wise Adaptive Rate Scaling): SGD whose gradient is rescaled per parameter (per layer) by a
 * trust ratio, the ratio of the weights' norm to the gradient's, so every layer moves by a similar fraction
 * of its size.
 *
 * <pre>
 *   q ← η ‖θ‖ / (‖∇‖ + λ‖θ‖ + ε)     (1 when either norm is 0; norms over the whole parameter)
 *   q ← min(q/γ, 1)                  if trust_clip
 *   g ← q (∇ + λθ)                   (only when λ ≠ 0 or always_adapt; else g ← ∇: plain SGD)
 *   b ← g at the first step, μ b + (1 − τ) g afterwards            (when μ ≠ 0, as SGD)
 *   d ← g + μ b if nesterov, else b   (d = g when μ = 0)
 *   θ ← θ − γ d
 * </pre>
 * You, Gitman and Ginsburg (2017), "Large Batch Training of Convolutional Networks", arXiv:1708.03888,
 * Algorithm 1 (η = trust_coefficient, β = weight_decay); the reference is timm's {@code timm.optim.Lars},
 * whose rule, defaults and switches these are ({@code trust_coeff} there), with PyTorch's SGD momentum.
 * As there, the ratio is applied only where weight decay is on unless {@code always_adapt}: the usual
 * recipe excludes biases and normalization weights by giving them {@code weight_decay=0}.
 *
 * <p>q needs both norms before any element moves: a first pass over the parameter and its gradient sums their
 * squares ({@link SquareSums}: in fixed pieces on all step threads, vectorized lanes), then the elementwise loop
 * runs, right after the sums for a parameter large enough to split across threads, while θ and ∇ are still in
 * the last-level cache ({@code StepThreads.applyWhileCached}); 8 bytes per parameter more than SGD, counted.
 * State: {@code momentum_buffer} when μ ≠ 0, {@code step}.
 */
public final class Lars extends Optimizer {
    /** The description, with timm's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("lars", List.of(
            Hyperparameter.nonNegative("lr", 1.0),
            Hyperparameter.nonNegative("momentum", 0),
            Hyperparameter.real("dampening", 0, x -> true, ""),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("nesterov", false),
            Hyperparameter.nonNegative("trust_coefficient", 1e-3),
            Hyperparameter.nonNegative("eps", 1e-8),
            Hyperparameter.flag("trust_clip", false),
            Hyperparameter.flag("always_adapt", false)),
            Sgd.nesterovRule("lars"), Lars::new);

    /** Builds LARS over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public Lars(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
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
        double lambda = group.real("weight_decay");
        double trust = 1;
        boolean adapt = lambda != 0 || group.flag("always_adapt");
        if (adapt) {
            double[] norms2 = StepThreads.sum(2, p.offset(), p.offset() + p.size(), (from, to, out) -> {
                SquareSums weights = SquareSums.lanes(0);
                SquareSums grads = SquareSums.lanes(1);
                // Both sums block by block: one read of θ and ∇ from memory feeds both.
                for (int start = from; start < to; start += SquareSums.BLOCK) {
                    int end = to - start > SquareSums.BLOCK ? start + SquareSums.BLOCK : to;
                    weights.add(w, start, end);
                    grads.add(grad, start, end);
                }
                out[0] += weights.take(w, from, to);
                out[1] += grads.take(grad, from, to);
            });
            double weightNorm = Math.sqrt(norms2[0]);
            double gradNorm = Math.sqrt(norms2[1]);
            if (weightNorm > 0 && gradNorm > 0) {
                trust = group.real("trust_coefficient") * weightNorm / (gradNorm + lambda * weightNorm + group.real("eps"));
            }
            if (group.flag("trust_clip")) {
                trust = Math.min(trust / group.lr(), 1);
            }
        }
        Kernel loop = loop(group, state, w, grad, (float) trust, (float) (trust * lambda));
        return adapt ? StepThreads.applyWhileCached(loop, p.offset(), p.offset() + p.size()) : loop;
    }

    /** The elementwise step (SGD's, with momentum when μ ≠ 0) with the gradient q∇ + qλθ. */
    private static Kernel loop(ParamGroup group, ParamState state, float[] w, float[] grad, float q, float qDecay) {
        float negLr = (float) -group.lr();
        double mu = group.real("momentum");
        if (mu == 0) {
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = Math.fma(w[i], qDecay, q * grad[i]);
                    w[i] = Math.fma(g, negLr, w[i]);
                }
            };
        }
        // The first step copies the scaled gradient into the buffer, undamped, as SGD: b = 0·0 + 1·g.
        boolean first = !state.has("momentum_buffer");
        float[] b = state.buffer("momentum_buffer");
        float keep = first ? 0f : (float) mu;
        float rest = first ? 1f : (float) (1 - group.real("dampening"));
        float mu32 = (float) mu;
        boolean nesterov = group.flag("nesterov");
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], qDecay, q * grad[i]);
                float bi = Math.fma(g, rest, b[i] * keep);
                b[i] = bi;
                w[i] = Math.fma(nesterov ? Math.fma(bi, mu32, g) : bi, negLr, w[i]);
            }
        };
    }
}
