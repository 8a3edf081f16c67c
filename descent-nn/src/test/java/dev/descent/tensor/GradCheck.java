package dev.descent.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient checks: the gradient backward computes for every element of every input
 * against central differences of {@code L = sum_i r_i f(x)_i}, with fixed random weights {@code r}.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Random values in [-scale, scale], at least {@code gap} away from zero (to stay off kinks). */
    public static float[] random(long seed, int n, float scale, float gap) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float v = (float) rng.nextDouble(gap, scale);
            a[i] = rng.nextBoolean() ? v : -v;
        }
        return a;
    }

    /** A leaf variable of random values. */
    public static Tensor variable(long seed, float scale, int... shape) {
        return Tensor.variable(random(seed, Tensor.sizeOf(shape), scale, 0.05f), shape);
    }

    /** Checks with step 1e-2 and tolerance 2e-3 + 1e-2 relative. */
    public static void check(Function<Tape, Tensor> f, Tensor... inputs) {
        check(f, 1e-2, 2e-3, 1e-2, inputs);
    }

    /** Checks every element of every input; {@code f} must read its inputs anew on each call. */
    public static void check(Function<Tape, Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.zeroGrad();
        }
        Tape tape = new Tape();
        Tensor out = f.apply(tape);
        float[] r = random(99, out.size(), 1f, 0.1f);
        assertTrue(out.requiresGrad(), "the output takes no gradient");
        tape.backward(out, r);
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k];
            float[] analytic = t.gradToArray();
            for (int i = 0; i < t.size(); i++) {
                int at = t.offset() + i;
                float saved = t.data()[at];
                t.data()[at] = (float) (saved + eps);
                double plus = weighted(f, r);
                t.data()[at] = (float) (saved - eps);
                double minus = weighted(f, r);
                t.data()[at] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic[i];
                if (!(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
                    fail("input " + k + " " + Arrays.toString(t.shape()) + " element " + i + ": backward gives " + a
                            + ", central differences give " + numeric);
                }
            }
        }
    }

    private static double weighted(Function<Tape, Tensor> f, float[] r) {
        Tensor y = f.apply(Tape.inference());
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += (double) r[i] * y.get(i);
        }
        return s;
    }
}
