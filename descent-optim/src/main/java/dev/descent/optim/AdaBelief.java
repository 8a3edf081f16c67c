package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * AdaBelief: Adam whose second moment tracks the variance of the gradient around its running mean (the
 * "belief" in the gradient) instead of its raw square, so steps are large where the gradient is as
 * predicted and small where it surprises; by default rectified as RAdam is.
 *
 * <pre>
 *   g ← ∇ + λθ              if not weight_decouple (L2 penalty)
 *   θ ← θ (1 − γλ)          if weight_decouple, or θ (1 − λ) with fixed_decay
 *   m ← β₁ m + (1 − β₁) g
 *   s ← β₂ s + (1 − β₂) (g − m)² + ε              (ε added inside s, and stored)
 *   ŝ ← max(ŝ, s) if amsgrad, else s
 *   rectify=false:  θ ← θ − γ/(1 − β₁ᵗ) · m / (√ŝ / √(1 − β₂ᵗ) + ε)
 *   rectify=true:   ρ∞ = 2/(1 − β₂) − 1,  ρₜ = ρ∞ − 2t β₂ᵗ/(1 − β₂ᵗ)
 *     ρₜ ≥ 5:  r = √((1 − β₂ᵗ)(ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ));  θ ← θ − γ r/(1 − β₁ᵗ) · m / (√s + ε)
 *     ρₜ &lt; 5:  θ ← θ − γ/(1 − β₁ᵗ) · m   if degenerated_to_sgd, else θ is left as it is (after the decay)
 * </pre>
 * Zhuang et al. (2020), "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients",
 * NeurIPS, arXiv:2010.07468, Algorithm 2 (the rule with {@code rectify=false, amsgrad=false}). The reference
 * implementation is {@code adabelief_pytorch} 0.2.0 in juntang-zhuang/Adabelief-Optimizer, whose names, rule
 * and defaults these are: {@code eps=1e-16}, {@code weight_decouple=true}, {@code rectify=true},
 * {@code degenerated_to_sgd=true}, {@code amsgrad=false} (0.0.5 had {@code eps=1e-8} and neither decoupling
 * nor rectification). As there, the rectified step divides by √s, not by the AMSGrad maximum, which is then
 * kept but used only without rectification. State: {@code exp_avg}, {@code exp_avg_var},
 * {@code max_exp_avg_var} (amsgrad), {@code step}.
 */
public final class AdaBelief extends Optimizer {
    /** The description, with the reference implementation's defaults. */
    public static final Algorithm ALGORITHM = Algorithm.of("adabelief", List.of(
            Hyperparameter.nonNegative("lr", 1e-3),
            Hyperparameter.reals("betas", new double[] {0.9, 0.999}, x -> x >= 0 && x < 1, "must be in [0, 1)"),
            Hyperparameter.nonNegative("eps", 1e-16),
            Hyperparameter.nonNegative("weight_decay", 0),
            Hyperparameter.flag("amsgrad", false),
            Hyperparameter.flag("weight_decouple", true),
            Hyperparameter.flag("fixed_decay", false),
            Hyperparameter.flag("rectify", true),
            Hyperparameter.flag("degenerated_to_sgd", true)),
            null, AdaBelief::new);

    /** Builds AdaBelief over {@code groups}; {@code defaults} must be complete values from {@link #ALGORITHM}. */
    public AdaBelief(Map<String, Object> defaults, List<ParamGroup> groups) {
        super(ALGORITHM, defaults, groups);
    }

    @Override
    protected Kernel update(ParamGroup group, Param p, ParamState state) {
        float[] w = p.store().data();
        float[] grad = p.store().grad();
        float[] m = state.buffer("exp_avg");
        float[] s = state.buffer("exp_avg_var");
        boolean amsgrad = group.flag("amsgrad");
        float[] sMax = amsgrad ? state.buffer("max_exp_avg_var") : s;
        double beta1 = group.real("betas", 0);
        double beta2 = group.real("betas", 1);
        long t = state.step();
        double lambda = group.real("weight_decay");
        boolean decouple = group.flag("weight_decouple");
        // One loop for both forms: the coupled decay is zero when decoupled, the shrink is one when coupled.
        float decay = decouple ? 0f : (float) lambda;
        float shrink = !decouple ? 1f : (float) (1 - (group.flag("fixed_decay") ? 1 : group.lr()) * lambda);
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float eps = (float) group.real("eps");
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        // The step: negStep · m / (√d / root + eps) with d = ŝ, or with rectification d = s and root = 1; or plain
        // momentum (sgd), or nothing (still).
        float root = (float) Math.sqrt(correction2);
        float negStep = (float) -(group.lr() / correction1);
        boolean sgd = false;
        boolean still = false;
        boolean useMax = amsgrad;
        if (group.flag("rectify")) {
            double rhoMax = 2 / (1 - beta2) - 1;
            double rho = rhoMax - 2 * t * Math.pow(beta2, t) / correction2;
            if (rho >= 5) {
                double r = Math.sqrt(correction2 * (rho - 4) / (rhoMax - 4) * (rho - 2) / rho * rhoMax / (rhoMax - 2));
                negStep = (float) -(r / correction1 * group.lr());
                root = 1f;
                useMax = false;
            } else {
                sgd = group.flag("degenerated_to_sgd");
                still = !sgd;
            }
        }
        float step = negStep;
        float divisor = root;
        float[] d = useMax ? sMax : s;
        boolean momentumOnly = sgd;
        boolean noMove = still;
        if (!amsgrad && !momentumOnly && !noMove) {
            // The usual case (rectified past the first steps, or plain): one branch-free loop C2 vectorizes.
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = Math.fma(w[i], decay, grad[i]);
                    float wi = w[i] * shrink;
                    float mi = Math.fma(g, rest1, m[i] * b1);
                    // The deviation as m − g, not g − m: the same square, bit for bit, but with g − m C2 (JDK 17)
                    // leaves this loop scalar, about four times slower, in the compilations that inline it into a
                    // caller (StepThreads' loop or its Runnables), which come after a few seconds of steps.
                    float r = mi - g;
                    float si = Math.fma(rest2 * r, r, s[i] * b2) + eps;
                    m[i] = mi;
                    s[i] = si;
                    w[i] = wi + step * mi / ((float) Math.sqrt(si) / divisor + eps);
                }
            };
        }
        if (!momentumOnly && !noMove) {
            // AMSGrad, in its own loop for the same reason: the general one below runs scalar.
            boolean byMax = useMax;
            return (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = Math.fma(w[i], decay, grad[i]);
                    float wi = w[i] * shrink;
                    float mi = Math.fma(g, rest1, m[i] * b1);
                    float r = mi - g;
                    float si = Math.fma(rest2 * r, r, s[i] * b2) + eps;
                    float sHat = Math.max(sMax[i], si);
                    m[i] = mi;
                    s[i] = si;
                    sMax[i] = sHat;
                    w[i] = wi + step * mi / ((float) Math.sqrt(byMax ? sHat : si) / divisor + eps);
                }
            };
        }
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = Math.fma(w[i], decay, grad[i]);
                float wi = w[i] * shrink;
                float mi = Math.fma(g, rest1, m[i] * b1);
                float r = mi - g;
                float si = Math.fma(rest2 * r, r, s[i] * b2) + eps;
                m[i] = mi;
                s[i] = si;
                if (amsgrad) {
                    sMax[i] = Math.max(sMax[i], si);
                }
                w[i] = noMove ? wi : momentumOnly ? wi + step * mi : wi + step * mi / ((float) Math.sqrt(d[i]) / divisor + eps);
            }
        };
    }
}
