package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * {@code soft_threshold(l1)}: the proximal step of the L1 penalty λ‖θ‖₁ (proximal gradient descent, ISTA):
 * the step lands on θ' = θ + u and is then shrunk toward zero by γλ, where γ is the chain's learning rate,
 * setting small weights exactly to zero.
 *
 * <pre>
 *   x ← θ + u
 *   u ← sign(x) · max(|x| − γλ, 0) − θ          (so that θ + u is the shrunk point)
 * </pre>
 * It must be the last transform of a chain that holds {@code scale_by_learning_rate}, whose {@code lr} (as a
 * schedule sets it) is γ. The shrunk point is exact where it is zero and, since it is near θ, almost always
 * exact elsewhere (θ + (y − θ) rounds back to y when y and θ are within a factor of two). Daubechies, Defrise
 * and De Mol (2004), "An iterative thresholding algorithm for linear inverse problems with a sparsity
 * constraint", Comm. Pure Appl. Math. 57; Beck and Teboulle (2009), "A Fast Iterative Shrinkage-Thresholding
 * Algorithm", SIAM J. Imaging Sciences 2. Positional argument: {@code l1}. No state.
 */
final class SoftThreshold extends Transform {
    SoftThreshold() {
        super("soft_threshold", "l1", List.of(Hyperparameter.nonNegative("l1", 0)), null);
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float[] w = step.params();
        float threshold = (float) (step.learningRate() * step.real("l1"));
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float x = w[i] + u[i];
                float y = Math.copySign(Math.max(Math.abs(x) - threshold, 0f), x);
                u[i] = y - w[i];
            }
        };
    }
}
