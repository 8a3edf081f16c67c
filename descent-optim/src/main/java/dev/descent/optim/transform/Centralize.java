package dev.descent.optim.transform;

import java.util.List;

/**
 * {@code centralize}: gradient centralization, which removes from the update of each output unit its mean,
 * for parameters of two or more dimensions (weights of linear and convolution layers); vectors (biases,
 * gains) are left alone. A unit is a slice along the first axis, as in adaptive gradient clipping.
 *
 * <pre>
 *   u_j ← u_j − mean(u_j)      for each unit j of a parameter of shape [d0, d1, ...], over its d1·d2·... elements
 * </pre>
 * Yong, Huang, Hua and Zhang (2020), "Gradient Centralization: A New Optimization Technique for Deep Neural
 * Networks", ECCV, arXiv:2004.01461. The means are summed in double and rounded to float32. No hyperparameters,
 * no state.
 */
final class Centralize extends Transform {
    Centralize() {
        super("centralize", null, List.of(), null);
    }

    @Override
    protected boolean readsUpdate() {
        return true;
    }

    @Override
    protected Loop update(ParamStep step) {
        int[] shape = step.param().shape();
        int size = step.param().size();
        if (shape.length < 2 || size == 0) {
            return (from, to) -> { };
        }
        float[] u = step.update();
        int base = step.from();
        int unit = size / shape[0];
        float[] means = new float[shape[0]];
        for (int j = 0; j < means.length; j++) {
            double sum = 0;
            for (int i = base + j * unit, end = i + unit; i < end; i++) {
                sum += u[i];
            }
            means[j] = (float) (sum / unit);
        }
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                u[i] -= means[(i - base) / unit];
            }
        };
    }
}
