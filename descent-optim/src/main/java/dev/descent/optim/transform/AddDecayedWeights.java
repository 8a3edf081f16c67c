package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;

import java.util.List;

/**
 * Adds the weights, scaled, to the update: u ← u + λθ. Two transforms share this rule:
 * <ul>
 *   <li>{@code add_decayed_weights(weight_decay)}, Optax's name. Placed first it is the coupled decay (L2
 *       penalty) of PyTorch's SGD, Adam, RMSprop and Adagrad; placed after a preconditioner and before the
 *       learning rate it is the decoupled decay of AdamW (Loshchilov and Hutter (2019), "Decoupled Weight
 *       Decay Regularization", ICLR, arXiv:1711.05101), which the chain then applies as the shrink
 *       θ ← θ (1 − γλ), as PyTorch's AdamW does.</li>
 *   <li>{@code add_l2(l2)}: the gradient of the penalty (λ/2)‖θ‖², under its own key, so that a chain may
 *       hold an L2 penalty and a decoupled decay and a group rule may set either ({@code bias: l2=0}).</li>
 * </ul>
 * Positional argument: the coefficient. No state.
 */
final class AddDecayedWeights extends Transform {
    private final String key;

    AddDecayedWeights(String name, String key) {
        super(name, key, List.of(Hyperparameter.nonNegative(key, 0)), null);
        this.key = key;
    }

    /** λ for this parameter's group. */
    double coefficient(ParamStep step) {
        return step.real(key);
    }

    @Override
    protected Loop update(ParamStep step) {
        float[] u = step.update();
        float[] w = step.params();
        float decay = (float) coefficient(step);
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                u[i] = Math.fma(w[i], decay, u[i]);
            }
        };
    }
}
