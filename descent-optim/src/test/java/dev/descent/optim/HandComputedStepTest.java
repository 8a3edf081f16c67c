package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each algorithm against its PyTorch update rule written out by hand in double precision, on a one-element
 * parameter for three steps. The values are picked so that the details ports get wrong (dampening on SGD's
 * first step, Adagrad's decay at step 1, where eps goes, the max of which v) change the result far more than
 * the 1e-6 tolerance.
 */
class HandComputedStepTest {
    private static final double TOLERANCE = 1e-6;
    private static final double THETA0 = 1.5;
    private static final double[] G = {0.7, -0.3, 1.1};

    /** Steps {@code spec} on one parameter starting at THETA0 with {@code gradients}; returns θ after each step. */
    static double[] run(String spec, double[] gradients) {
        Param p = ParamStore.of("w", (float) THETA0).param(0);
        Optimizer opt = Optimizers.create(spec, List.of(p));
        double[] out = new double[gradients.length];
        for (int t = 0; t < gradients.length; t++) {
            p.setGrad((float) gradients[t]);
            opt.step();
            out[t] = p.values()[0];
        }
        return out;
    }

    private static void check(String spec, double[] gradients, double[] expected) {
        assertClose(spec, expected, run(spec, gradients));
    }

    /** Asserts each step's θ within a relative {@link #TOLERANCE} of the expected one, naming the bad steps. */
    static void assertClose(String what, double[] expected, double[] actual) {
        List<String> bad = new ArrayList<>();
        for (int t = 0; t < expected.length; t++) {
            double error = Math.abs(actual[t] - expected[t]) / Math.max(Math.abs(expected[t]), 1e-12);
            if (!(error <= TOLERANCE)) {
                bad.add("step " + (t + 1) + ": expected " + expected[t] + " but was " + actual[t] + " (relative error " + error + ")");
            }
        }
        assertTrue(bad.isEmpty(), what + ": " + bad);
    }

    private static void check(String spec, double[] expected) {
        check(spec, G, expected);
    }

    @Test
    void sgd() {
        double lr = 0.1;
        double wd = 0.2;
        double theta = THETA0;
        double[] expected = new double[3];
        for (int t = 0; t < 3; t++) {
            theta -= lr * (G[t] + wd * theta);
            expected[t] = theta;
        }
        check("sgd(lr=0.1, weight_decay=0.2)", expected);
    }

    @Test
    void sgdMomentumCopiesTheFirstGradientWithoutDampening() {
        double lr = 0.1;
        double mu = 0.9;
        double tau = 0.5;
        double wd = 0.1;
        double theta = THETA0;
        double b = 0;
        double[] expected = new double[3];
        for (int t = 0; t < 3; t++) {
            double d = G[t] + wd * theta;
            b = t == 0 ? d : mu * b + (1 - tau) * d;
            theta -= lr * b;
            expected[t] = theta;
        }
        check("sgd(lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.1)", expected);
    }

    @Test
    void sgdNesterov() {
        double lr = 0.1;
        double mu = 0.8;
        double theta = THETA0;
        double b = 0;
        double[] expected = new double[3];
        for (int t = 0; t < 3; t++) {
            double d = G[t];
            b = t == 0 ? d : mu * b + d;
            theta -= lr * (d + mu * b);
            expected[t] = theta;
        }
        check("sgd(lr=0.1, momentum=0.8, nesterov=true)", expected);
        check("nag(lr=0.1, momentum=0.8)", expected);
    }

    @Test
    void adagradDecaysWithTMinusOneAndPutsEpsOutsideTheRoot() {
        double lr = 0.1;
        double lrDecay = 0.5;
        double init = 0.2;
        double eps = 0.1;
        double wd = 0.05;
        double theta = THETA0;
        double sum = init;
        double[] expected = new double[3];
        for (int t = 1; t <= 3; t++) {
            double g = G[t - 1] + wd * theta;
            double clr = lr / (1 + (t - 1) * lrDecay);
            sum += g * g;
            theta -= clr * g / (Math.sqrt(sum) + eps);
            expected[t - 1] = theta;
        }
        check("adagrad(lr=0.1, lr_decay=0.5, initial_accumulator_value=0.2, eps=0.1, weight_decay=0.05)", expected);
    }

    @Test
    void rmsprop() {
        double lr = 0.01;
        double alpha = 0.9;
        double eps = 0.01;
        double theta = THETA0;
        double v = 0;
        double[] expected = new double[3];
        for (int t = 0; t < 3; t++) {
            double g = G[t];
            v = alpha * v + (1 - alpha) * g * g;
            theta -= lr * g / (Math.sqrt(v) + eps);
            expected[t] = theta;
        }
        check("rmsprop(lr=0.01, alpha=0.9, eps=0.01)", expected);
    }

    @Test
    void rmspropCenteredWithMomentum() {
        double lr = 0.01;
        double alpha = 0.9;
        double eps = 0.01;
        double mu = 0.8;
        double wd = 0.1;
        double theta = THETA0;
        double v = 0;
        double mean = 0;
        double b = 0;
        double[] expected = new double[3];
        for (int t = 0; t < 3; t++) {
            double g = G[t] + wd * theta;
            v = alpha * v + (1 - alpha) * g * g;
            mean = alpha * mean + (1 - alpha) * g;
            double d = Math.sqrt(v - mean * mean) + eps;
            b = mu * b + g / d;
            theta -= lr * b;
            expected[t] = theta;
        }
        check("rmsprop(lr=0.01, alpha=0.9, eps=0.01, momentum=0.8, centered=true, weight_decay=0.1)", expected);
    }

    @Test
    void adadeltaPutsEpsInsideBothRootsAndLrOnlyAtTheEnd() {
        double lr = 0.5;
        double rho = 0.8;
        double eps = 0.01;
        double theta = THETA0;
        double v = 0;
        double u = 0;
        double[] expected = new double[3];
        for (int t = 0; t < 3; t++) {
            double g = G[t];
            v = rho * v + (1 - rho) * g * g;
            double delta = Math.sqrt(u + eps) / Math.sqrt(v + eps) * g;
            u = rho * u + (1 - rho) * delta * delta;
            theta -= lr * delta;
            expected[t] = theta;
        }
        check("adadelta(lr=0.5, rho=0.8, eps=0.01)", expected);
    }

    @Test
    void adamAddsEpsAfterBiasCorrection() {
        double lr = 0.1;
        double b1 = 0.8;
        double b2 = 0.9;
        double eps = 0.1;
        double wd = 0.05;
        double theta = THETA0;
        double m = 0;
        double v = 0;
        double[] expected = new double[3];
        for (int t = 1; t <= 3; t++) {
            double g = G[t - 1] + wd * theta;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mHat = m / (1 - Math.pow(b1, t));
            double denom = Math.sqrt(v) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            theta -= lr * mHat / denom;
            expected[t - 1] = theta;
        }
        check("adam(lr=0.1, betas=(0.8, 0.9), eps=0.1, weight_decay=0.05)", expected);
    }

    @Test
    void amsgradKeepsTheMaxOfTheRawV() {
        // A large first gradient, then small ones: the raw v falls, while the bias-corrected v̂ would not keep
        // the first step's value, so a max of v̂ would give other steps.
        double[] grads = {2.0, 0.1, 0.1};
        double lr = 0.1;
        double b1 = 0.8;
        double b2 = 0.9;
        double eps = 0.01;
        double theta = THETA0;
        double m = 0;
        double v = 0;
        double vMax = 0;
        double[] expected = new double[3];
        for (int t = 1; t <= 3; t++) {
            double g = grads[t - 1];
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            vMax = Math.max(vMax, v);
            double denom = Math.sqrt(vMax) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            theta -= lr / (1 - Math.pow(b1, t)) * m / denom;
            expected[t - 1] = theta;
        }
        check("adam(lr=0.1, betas=(0.8, 0.9), eps=0.01, amsgrad=true)", grads, expected);
    }

    @Test
    void nadamWithTheFixedMuProduct() {
        double lr = 0.1;
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 0.01;
        double psi = 0.1;
        double wd = 0.05;
        double theta = THETA0;
        double m = 0;
        double v = 0;
        double product = 1;
        double[] expected = new double[3];
        for (int t = 1; t <= 3; t++) {
            double g = G[t - 1] + wd * theta;
            double mu = b1 * (1 - 0.5 * Math.pow(0.96, t * psi));
            double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
            product *= mu;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double denom = Math.sqrt(v / (1 - Math.pow(b2, t))) + eps;
            theta -= lr * (1 - mu) / (1 - product) * g / denom;
            theta -= lr * muNext / (1 - product * muNext) * m / denom;
            expected[t - 1] = theta;
        }
        check("nadam(lr=0.1, betas=(0.9, 0.99), eps=0.01, momentum_decay=0.1, weight_decay=0.05)", expected);
    }

    @Test
    void maximizeStepsUphill() {
        double lr = 0.1;
        double theta = THETA0;
        double[] expected = new double[3];
        for (int t = 0; t < 3; t++) {
            theta += lr * G[t];
            expected[t] = theta;
        }
        check("sgd(lr=0.1, maximize=true)", expected);
    }
}
